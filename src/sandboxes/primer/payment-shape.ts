/**
 * How a stored Primer payment changes and how it is shown: the cancellation effect, the
 * per-version response shape, and Primer's zone-less timestamps.
 */
import { randomUUID } from 'node:crypto';
import { isPlainObject } from '../http-sandbox.js';

/** `v2`: the earliest version (also 2.1): `processor.processor_merchant_id`, no `dateUpdated`. */
export type ResponseShape = 'v2' | 'v2.4';

/**
 * X-API-VERSION values the sandbox accepts. A missing header means the earliest version
 * (FACTS §1.1). Answering any other value with 400 `InvalidApiVersion` is an assumption:
 * the real behaviour for an unknown version is not documented.
 */
export const SHAPE_BY_API_VERSION: Readonly<Record<string, ResponseShape>> = {
  '2.0': 'v2',
  '2.1': 'v2',
  '2.2': 'v2.4',
  '2.3': 'v2.4',
  '2.4': 'v2.4',
};

/** Primer's timestamp form: ISO 8601 in UTC without a zone, with microseconds. */
export function zonelessTimestamp(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, -1)}000`;
}

/** A copy of the stored payment as the given API version shows it; events only when expanded. */
export function renderPayment(
  payment: Record<string, unknown>,
  shape: ResponseShape,
  expandEvents: boolean,
): Record<string, unknown> {
  const out = structuredClone(payment);
  if (!expandEvents && Array.isArray(out['transactions'])) {
    for (const transaction of out['transactions']) {
      if (isPlainObject(transaction)) delete transaction['events'];
    }
  }
  if (shape === 'v2') {
    delete out['dateUpdated'];
    const processor = out['processor'];
    if (isPlainObject(processor)) {
      out['processor'] = Object.fromEntries(
        Object.entries(processor).map(([key, value]) => [
          key === 'processorMerchantId' ? 'processor_merchant_id' : key,
          value,
        ]),
      );
    }
  }
  return out;
}

/**
 * A successful cancel: the payment becomes CANCELLED, its SALE transaction too (with the
 * reason, if given) and gains a CANCELLATION_SUCCEEDED event. A pending required action no
 * longer applies, so it is removed.
 */
export function applyCancellation(payment: Record<string, unknown>, reason: string | undefined, at: string): void {
  payment['status'] = 'CANCELLED';
  payment['dateUpdated'] = at;
  delete payment['requiredAction'];
  const transactions = Array.isArray(payment['transactions']) ? payment['transactions'] : [];
  const sale = transactions.find(
    (t): t is Record<string, unknown> => isPlainObject(t) && (t['transactionType'] ?? t['type']) === 'SALE',
  );
  if (sale === undefined) return;
  sale['processorStatus'] = 'CANCELLED';
  if (reason !== undefined) sale['reason'] = reason;
  const event: Record<string, unknown> = { id: randomUUID(), date: at, type: 'CANCELLATION_SUCCEEDED' };
  if (typeof sale['amount'] === 'number') event['amount'] = sale['amount'];
  sale['events'] = [...(Array.isArray(sale['events']) ? sale['events'] : []), event];
}
