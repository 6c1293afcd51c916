/**
 * One DataLoader per request: the same payment asked for twice in one operation costs one
 * provider call. Providers have no batch read, so a batch is parallel single reads.
 */
import DataLoader from 'dataloader';
import type { Payment, PaymentRef } from '../domain/payment.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { CancelSignal } from '../cancellation.js';

export type PaymentLoader = DataLoader<PaymentRef, Payment | null, string>;

export const paymentKey = (ref: PaymentRef): string => `${ref.provider}:${ref.providerPaymentId}`;

export function createPaymentLoader(
  registry: ProviderRegistry,
  options: { readonly signal?: CancelSignal | undefined; readonly onError: (error: unknown, ref: PaymentRef) => void },
): PaymentLoader {
  return new DataLoader<PaymentRef, Payment | null, string>(
    (refs) =>
      Promise.all(
        refs.map((ref) =>
          registry[ref.provider].getPayment(ref.providerPaymentId, { signal: options.signal }).catch((error: unknown) => {
            options.onError(error, ref);
            return error instanceof Error ? error : new Error('provider read failed');
          }),
        ),
      ),
    { cacheKeyFn: paymentKey },
  );
}
