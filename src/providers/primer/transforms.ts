/**
 * Pure conversions between Primer's wire format and the gateway's model: the status
 * table, money, time, and the meaning of each HTTP answer.
 */
import { minorUnitExponent, type ExponentOverrides } from '../../domain/currencies.js';
import { moneyFromMinorUnits } from '../../domain/money.js';
import type { Payment, PaymentStatus, StatusReason } from '../../domain/payment.js';
import { toOptionalUtcDateTime, toUtcDateTime } from '../../domain/time.js';
import { UnreadableResponseError, type ProviderFailure } from '../errors.js';
import { isWireObject, optionalString, parseJson, readField, requireObject, requireString, type WireObject } from '../wire-fields.js';
import type { PrimerStatus } from './wire.js';

/**
 * DESIGN §1 status table, Primer column. PENDING is PROCESSING unless the payment carries a
 * `requiredAction`, which makes it REQUIRES_ACTION (see toPaymentStatus).
 */
export const PRIMER_STATUS_MAP = {
  PENDING: 'PROCESSING',
  AUTHORIZED: 'AUTHORIZED',
  SETTLING: 'SETTLING',
  PARTIALLY_SETTLED: 'PARTIALLY_SETTLED',
  SETTLED: 'SUCCEEDED',
  CANCELLED: 'CANCELED',
  DECLINED: 'DECLINED',
  FAILED: 'FAILED',
} as const satisfies Record<PrimerStatus, PaymentStatus>;

/** Primer cancels only PENDING and AUTHORIZED payments (its dashboard rule, FACTS §1.4). */
export const PRIMER_CANCELLABLE = {
  PENDING: true,
  AUTHORIZED: true,
  SETTLING: false,
  PARTIALLY_SETTLED: false,
  SETTLED: false,
  CANCELLED: false,
  DECLINED: false,
  FAILED: false,
} as const satisfies Record<PrimerStatus, boolean>;

/**
 * Where Primer's minor units differ from ISO 4217. Primer documents 0, 2 or 3 minor units
 * per currency and every row seen so far (JPY 0, CLP 0, BIF 0, BHD 3, IQD 3) matches ISO,
 * so there is no entry yet (FACTS §1.9, §4.3).
 */
export const PRIMER_EXPONENT_OVERRIDES: ExponentOverrides = {};

function isPrimerStatus(status: string): status is PrimerStatus {
  return Object.hasOwn(PRIMER_STATUS_MAP, status);
}

export function toPaymentStatus(status: string, hasRequiredAction: boolean): { status: PaymentStatus; isCancellable: boolean } {
  if (!isPrimerStatus(status)) return { status: 'UNKNOWN', isCancellable: false };
  const normalized = status === 'PENDING' && hasRequiredAction ? 'REQUIRES_ACTION' : PRIMER_STATUS_MAP[status];
  return { status: normalized, isCancellable: PRIMER_CANCELLABLE[status] };
}

/** The latest CANCELLATION_SUCCEEDED event among the transactions, when Primer included events. */
export function cancellationTime(transactions: unknown): string | null {
  if (!Array.isArray(transactions)) return null;
  let latest: string | null = null;
  for (const transaction of transactions) {
    const events: unknown = isWireObject(transaction) ? transaction['events'] : undefined;
    if (!Array.isArray(events)) continue;
    for (const event of events) {
      if (!isWireObject(event) || event['type'] !== 'CANCELLATION_SUCCEEDED' || typeof event['date'] !== 'string') continue;
      const at = toUtcDateTime(event['date']);
      if (latest === null || at > latest) latest = at;
    }
  }
  return latest;
}

function toStatusReason(value: unknown): StatusReason | null {
  if (!isWireObject(value)) return null;
  return {
    type: optionalString(value, 'type'),
    declineType: optionalString(value, 'declineType'),
    code: optionalString(value, 'code'),
    message: optionalString(value, 'message'),
  };
}

/** Primer's PaymentAPIResponse as a gateway Payment; throws UnreadableResponseError. */
export function toPayment(raw: unknown): Payment {
  const wire = requireObject(raw, 'payment');
  const providerStatus = requireString(wire, 'status');
  const currencyCode = requireString(wire, 'currencyCode').toUpperCase();
  const exponent = minorUnitExponent(currencyCode, PRIMER_EXPONENT_OVERRIDES);
  if (exponent === undefined) throw new UnreadableResponseError('currencyCode is not an ISO 4217 currency with minor units');
  const metadata = wire['metadata'];
  const paymentMethod = wire['paymentMethod'];
  // Written out, not spread into the literal: the keys after a spread take V8's slow path.
  const { status, isCancellable } = toPaymentStatus(providerStatus, isWireObject(wire['requiredAction']));
  return {
    provider: 'PRIMER',
    providerPaymentId: requireString(wire, 'id'),
    status,
    isCancellable,
    providerStatus,
    amount: readField('amount', () => moneyFromMinorUnits(wire['amount'], currencyCode, exponent)),
    reference: optionalString(wire, 'orderId'),
    description: null,
    metadata: metadata === undefined ? null : metadata,
    createdAt: readField('date', () => toUtcDateTime(requireString(wire, 'date'))),
    updatedAt: readField('dateUpdated', () => toOptionalUtcDateTime(wire['dateUpdated'])),
    canceledAt: readField('transactions', () => cancellationTime(wire['transactions'])),
    paymentMethod: isWireObject(paymentMethod) ? optionalString(paymentMethod, 'paymentMethodType') : null,
    statusReason: toStatusReason(wire['statusReason']),
  };
}

/** What one HTTP answer from Primer means. */
export type PrimerReply =
  | { readonly kind: 'ok'; readonly payment: unknown }
  | { readonly kind: 'not_found' }
  /** 400 InvalidPaymentStatus: the payment's status does not allow the action. */
  | { readonly kind: 'refused_by_status' }
  /**
   * 409 IdempotencyKeyAlreadyExists: the key was already processed successfully, for the
   * payment the error names (`error.paymentId`) when it names one.
   */
  | { readonly kind: 'idempotency_key_used'; readonly paymentId: string | null }
  /** 422 RequestValidationError: a field of the request was rejected. */
  | { readonly kind: 'invalid_request'; readonly field: string | null }
  | { readonly kind: 'failure'; readonly failure: ProviderFailure; readonly errorId?: string | undefined; readonly diagnosticsId?: string | undefined };

/** The request field a 422's validation errors point at (`$.reason` is `reason`), if any. */
function invalidField(error: WireObject): string | null {
  const groups = error['validationErrors'];
  if (!Array.isArray(groups)) return null;
  for (const group of groups) {
    const errors: unknown = isWireObject(group) ? group['errors'] : undefined;
    if (!Array.isArray(errors)) continue;
    for (const item of errors) {
      const path = isWireObject(item) ? item['path'] : undefined;
      if (typeof path === 'string' && /^\$\.[A-Za-z]+/.test(path)) return /^\$\.([A-Za-z]+)/.exec(path)?.[1] ?? null;
    }
  }
  return null;
}

export function classifyPrimerResponse(httpStatus: number, bodyText: string): PrimerReply {
  const body = parseJson(bodyText);
  const error = isWireObject(body) && isWireObject(body['error']) ? body['error'] : undefined;
  const errorId = error && typeof error['errorId'] === 'string' ? error['errorId'] : undefined;
  const diagnosticsId = error && typeof error['diagnosticsId'] === 'string' ? error['diagnosticsId'] : undefined;
  const failure = (kind: ProviderFailure): PrimerReply => ({ kind: 'failure', failure: kind, errorId, diagnosticsId });

  if (httpStatus >= 200 && httpStatus < 300) {
    return isWireObject(body) && !error ? { kind: 'ok', payment: body } : failure('unreadable_response');
  }
  if (httpStatus === 429) return failure('rate_limited');
  if (httpStatus === 408 || httpStatus === 504) return failure('timeout');
  if (httpStatus >= 500) return failure('server_error');
  // Bad key, missing scope, unknown method, retired API version: the gateway is misconfigured.
  if (httpStatus === 401 || httpStatus === 403 || httpStatus === 405 || httpStatus === 410) return failure('misconfigured');
  switch (httpStatus) {
    case 400:
      if (errorId === 'PaymentError') return { kind: 'not_found' };
      if (errorId === 'InvalidPaymentStatus') return { kind: 'refused_by_status' };
      break;
    case 404:
      // Not found is 400 PaymentError on GET and cancel (the spec); Primer's generic docs say
      // 404 "Entity Not Found", so a 404 with a Primer error body is honoured as not found.
      // A 404 without one (FastAPI's `{"detail":"Not Found"}`) is an unknown route: the base
      // URL is wrong.
      return errorId === undefined ? failure('misconfigured') : { kind: 'not_found' };
    case 409:
      if (errorId === 'IdempotencyKeyAlreadyExists') {
        const paymentId = error?.['paymentId'];
        return { kind: 'idempotency_key_used', paymentId: typeof paymentId === 'string' && paymentId !== '' ? paymentId : null };
      }
      return failure('refused'); // PaymentRequestLimitExceeded: "do not retry"
    case 422:
      if (errorId === 'RequestValidationError' && error) return { kind: 'invalid_request', field: invalidField(error) };
      break;
  }
  if (!error) return failure('unreadable_response');
  // Any other documented error: the gateway's request is not one Primer accepts, which
  // retrying cannot fix.
  return failure('misconfigured');
}
