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
  // A failed read is an Error in its place: DataLoader rejects that key's load with it.
  const failed = (error: unknown, ref: PaymentRef): Error => {
    options.onError(error, ref);
    return error instanceof Error ? error : new Error('provider read failed');
  };
  const read = (ref: PaymentRef): Promise<Payment | null> => registry[ref.provider].getPayment(ref.providerPaymentId, { signal: options.signal });
  return new DataLoader<PaymentRef, Payment | null, string>(
    // One key (a request reading one payment, the common case) needs no Promise.all.
    (refs) =>
      refs.length === 1
        ? read(refs[0]!).then(inList, (error: unknown) => [failed(error, refs[0]!)])
        : Promise.all(refs.map((ref) => read(ref).catch((error: unknown) => failed(error, ref)))),
    {
      cacheKeyFn: paymentKey,
      // A batch is dispatched in the microtask after the loads that made it. DataLoader's
      // default waits a microtask and then a process.nextTick, to catch loads made in promise
      // callbacks; here every load of an operation is made while its root fields resolve,
      // synchronously, and a provider has no batch read anyway (a batch is parallel reads).
      batchScheduleFn: queueMicrotask,
    },
  );
}

const inList = <T>(value: T): T[] => [value];
