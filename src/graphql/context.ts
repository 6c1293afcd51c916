import type { Caller } from '../auth/index.js';
import type { PaymentsSession } from '../payments/service.js';

/** What every resolver and plugin receives, per GraphQL request. */
export interface GatewayContext {
  /** The authenticated caller. */
  readonly caller: Caller;
  readonly requestId: string;
  readonly payments: PaymentsSession;
}
