/**
 * Pure conversions between the HMAC provider's wire format and the gateway's model:
 * the status table, money, time, and the meaning of each HTTP answer.
 */
import { minorUnitExponent, type ExponentOverrides } from '../../domain/currencies.js';
import { moneyFromDecimal } from '../../domain/money.js';
import type { Payment, PaymentStatus } from '../../domain/payment.js';
import { toOptionalUtcDateTime, toUtcDateTime } from '../../domain/time.js';
import { UnreadableResponseError, type ProviderFailure } from '../errors.js';
import { isWireObject, optionalString, parseJson, readField, requireObject, requireString } from '../wire-fields.js';
import { AUTH_FAILURE_STATUS, NOT_FOUND_CODE } from './assumptions.js';
import type { HmacStatus } from './wire.js';

/** DESIGN §1 status table, HMAC column. Forgetting a status fails the build. */
export const HMAC_STATUS_MAP = {
  requires_payment_method: 'REQUIRES_PAYMENT_METHOD',
  requires_confirmation: 'REQUIRES_CONFIRMATION',
  requires_action: 'REQUIRES_ACTION',
  processing: 'PROCESSING',
  requires_capture: 'AUTHORIZED',
  succeeded: 'SUCCEEDED',
  canceled: 'CANCELED',
  expired: 'EXPIRED',
  payment_failed: 'FAILED',
} as const satisfies Record<HmacStatus, PaymentStatus>;

/** The provider's cancellation rules: only these statuses can be cancelled. */
export const HMAC_CANCELLABLE = {
  requires_payment_method: true,
  requires_confirmation: true,
  requires_action: true,
  processing: true,
  requires_capture: true,
  succeeded: false,
  canceled: false,
  expired: false,
  payment_failed: false,
} as const satisfies Record<HmacStatus, boolean>;

/** Where the provider's minor units differ from ISO 4217. None is known (FACTS §4.3: THB 2 = ISO). */
export const HMAC_EXPONENT_OVERRIDES: ExponentOverrides = {};

function isHmacStatus(status: string): status is HmacStatus {
  return Object.hasOwn(HMAC_STATUS_MAP, status);
}

export function toPaymentStatus(status: string): { status: PaymentStatus; isCancellable: boolean } {
  if (!isHmacStatus(status)) return { status: 'UNKNOWN', isCancellable: false };
  return { status: HMAC_STATUS_MAP[status], isCancellable: HMAC_CANCELLABLE[status] };
}

/** The provider's payment object as a gateway Payment; throws UnreadableResponseError. */
export function toPayment(raw: unknown): Payment {
  const wire = requireObject(raw, 'data');
  const providerStatus = requireString(wire, 'status');
  // The document shows "THB"; Stripe-like APIs often send lower case: both read the same.
  const currencyCode = requireString(wire, 'currency').toUpperCase();
  const exponent = minorUnitExponent(currencyCode, HMAC_EXPONENT_OVERRIDES);
  if (exponent === undefined) throw new UnreadableResponseError('currency is not an ISO 4217 currency with minor units');
  const metadata = wire['metadata'];
  // Written out, not spread into the literal: the keys after a spread take V8's slow path.
  const { status, isCancellable } = toPaymentStatus(providerStatus);
  return {
    provider: 'HMAC',
    providerPaymentId: requireString(wire, 'id'),
    status,
    isCancellable,
    providerStatus,
    amount: readField('amount', () => moneyFromDecimal(wire['amount'], currencyCode, exponent)),
    reference: optionalString(wire, 'referenceId'),
    description: optionalString(wire, 'description'),
    metadata: metadata === undefined ? null : metadata,
    createdAt: readField('createdAt', () => toUtcDateTime(requireString(wire, 'createdAt'))),
    updatedAt: readField('updatedAt', () => toOptionalUtcDateTime(wire['updatedAt'])),
    canceledAt: readField('canceledAt', () => toOptionalUtcDateTime(wire['canceledAt'])),
    paymentMethod: optionalString(wire, 'paymentMethod'),
    statusReason: null,
  };
}

/** What one HTTP answer from the provider means. */
export type HmacReply =
  | { readonly kind: 'ok'; readonly data: unknown }
  | { readonly kind: 'not_found' }
  /** 400: the provider refused the request (for cancel: the status forbids it). */
  | { readonly kind: 'refused' }
  | { readonly kind: 'failure'; readonly failure: ProviderFailure; readonly code?: string | undefined };

export function classifyHmacResponse(httpStatus: number, bodyText: string): HmacReply {
  const body = parseJson(bodyText);
  const envelope = isWireObject(body) && typeof body['success'] === 'boolean' ? body : undefined;
  const error = envelope && envelope['success'] === false && isWireObject(envelope['error']) ? envelope['error'] : undefined;
  const code = error && typeof error['code'] === 'string' ? error['code'] : undefined;

  if (httpStatus >= 200 && httpStatus < 300) {
    if (envelope?.['success'] === true && isWireObject(envelope['data'])) return { kind: 'ok', data: envelope['data'] };
    return { kind: 'failure', failure: 'unreadable_response' };
  }
  if (httpStatus === 429) return { kind: 'failure', failure: 'rate_limited', code };
  if (httpStatus === 408) return { kind: 'failure', failure: 'timeout', code };
  if (httpStatus >= 500) return { kind: 'failure', failure: 'server_error', code };
  if (httpStatus === 404) {
    // A 404 without the documented code is an unknown route: the base URL is wrong.
    return code === NOT_FOUND_CODE ? { kind: 'not_found' } : { kind: 'failure', failure: 'misconfigured', code };
  }
  // The document names 400 VALIDATION_ERROR for a status that forbids a cancel. Any 400, 409
  // or 422 with an error envelope is read as the provider refusing the request, and the
  // gateway then reads the payment to tell the caller its real state (cancelled already, or
  // not cancellable) instead of guessing from an undocumented code.
  if ((httpStatus === 400 || httpStatus === 409 || httpStatus === 422) && error) return { kind: 'refused' };
  if (httpStatus === AUTH_FAILURE_STATUS || httpStatus === 403 || httpStatus === 405) return { kind: 'failure', failure: 'misconfigured', code };
  if (!error) return { kind: 'failure', failure: 'unreadable_response' };
  // Any other 4xx means the gateway sent something the provider does not accept.
  return { kind: 'failure', failure: 'misconfigured', code };
}
