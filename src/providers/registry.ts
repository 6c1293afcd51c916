/**
 * The explicit provider registry: one line per provider.
 */
import type { Logger } from 'pino';
import type { PaymentProviderName } from '../domain/payment.js';
import type { Secret } from '../domain/secret.js';
import type { ProviderCallEvent } from '../observability/metrics.js';
import { createHmacProvider } from './hmac/provider.js';
import type { ProviderTimeouts, ResilienceOptions } from './http.js';
import { createPrimerProvider } from './primer/provider.js';
import type { PaymentProviderAdapter } from './types.js';

export type ProviderRegistry = Readonly<Record<PaymentProviderName, PaymentProviderAdapter>>;

/** Where each provider is and how to authenticate, once sandboxes have been started. */
export interface ProviderEndpoints {
  readonly hmac: { readonly baseUrl: URL; readonly apiKey: Secret; readonly apiSecret: Secret };
  readonly primer: { readonly baseUrl: URL; readonly apiKey: Secret };
}

export function createProviderRegistry(
  endpoints: ProviderEndpoints,
  options: {
    readonly logger: Logger;
    readonly timeouts?: ProviderTimeouts | undefined;
    readonly resilience?: Partial<ResilienceOptions> | undefined;
    readonly onProviderCall?: ((event: ProviderCallEvent) => void) | undefined;
  },
): ProviderRegistry {
  return {
    HMAC: createHmacProvider({ ...endpoints.hmac, ...options }),
    PRIMER: createPrimerProvider({ ...endpoints.primer, ...options }),
  } satisfies Record<PaymentProviderName, PaymentProviderAdapter>;
}

export async function closeProviderRegistry(registry: ProviderRegistry): Promise<void> {
  await Promise.all(Object.values(registry).map((provider) => provider.close()));
}
