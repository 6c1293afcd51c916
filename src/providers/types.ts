/**
 * The one interface every provider adapter implements. Adding a provider means a folder
 * beside this file, one line in registry.ts and one enum value.
 */
import type { Payment, PaymentProviderName } from '../domain/payment.js';
import type { BreakerState } from './breaker.js';
import type { CancelSignal } from '../cancellation.js';

export interface CallOptions {
  /** Aborts the provider call (the caller went away); the adapter adds its own deadline. */
  readonly signal?: CancelSignal | undefined;
}

export interface ProviderCancelRequest extends CallOptions {
  readonly providerPaymentId: string;
  readonly reason: string | null;
  readonly idempotencyKey: string | null;
}

/**
 * What a provider said to a cancel, before the gateway's cancel semantics are applied.
 * Transport failures are not results: they throw ProviderUnavailableError.
 */
export type ProviderCancelResult =
  | { readonly type: 'canceled'; readonly payment: Payment }
  | { readonly type: 'not_found' }
  /** The provider refused because of the payment's current status. */
  | { readonly type: 'refused_by_status' }
  /** The provider has already processed this idempotency key (Primer 409). */
  | { readonly type: 'idempotency_key_used' }
  /** The provider has already processed this idempotency key for another payment. */
  | { readonly type: 'idempotency_key_used_elsewhere' }
  /** The provider rejected a parameter the caller supplied. */
  | { readonly type: 'invalid_request'; readonly field: string | null };

export interface PaymentProviderAdapter {
  readonly name: PaymentProviderName;
  /** The payment, or null when the provider has no such payment. */
  getPayment(providerPaymentId: string, options?: CallOptions): Promise<Payment | null>;
  cancelPayment(request: ProviderCancelRequest): Promise<ProviderCancelResult>;
  /** The circuit breaker's state (readiness, metrics). */
  breakerState(): BreakerState;
  close(): Promise<void>;
}
