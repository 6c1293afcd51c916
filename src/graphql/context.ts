import type { PaymentsSession } from '../payments/service.js';

/** What every resolver receives: one payments session per GraphQL request. */
export interface GatewayContext {
  readonly payments: PaymentsSession;
}
