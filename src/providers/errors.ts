import type { PaymentProviderName } from '../domain/payment.js';

/** Why a provider could not give a usable answer. */
export type ProviderFailure =
  | 'timeout'
  | 'connection'
  | 'rate_limited'
  | 'server_error'
  | 'unreadable_response'
  /** The provider's answer means the gateway itself is misconfigured (bad key, bad route). */
  | 'misconfigured'
  /** The provider refuses to process more requests for this payment. */
  | 'refused'
  /** The gateway's caller went away before the provider answered. */
  | 'canceled_by_caller'
  /** The provider's circuit breaker is open after repeated failures: failing fast. */
  | 'circuit_open'
  /** Too many calls to this provider are in flight. */
  | 'overloaded';

const MESSAGES: Record<ProviderFailure, string> = {
  timeout: 'The payment provider did not answer in time.',
  connection: 'The payment provider could not be reached.',
  rate_limited: 'The payment provider is rate limiting requests.',
  server_error: 'The payment provider failed to process the request.',
  unreadable_response: 'The payment provider sent a response the gateway could not read.',
  misconfigured: 'The gateway is not configured correctly for this payment provider.',
  refused: 'The payment provider refuses further requests for this payment.',
  canceled_by_caller: 'The request was cancelled before the payment provider answered.',
  circuit_open: 'The payment provider is failing; calls are paused for a moment.',
  overloaded: 'Too many requests to the payment provider are in progress.',
};

const RETRYABLE: Record<ProviderFailure, boolean> = {
  timeout: true,
  connection: true,
  rate_limited: true,
  server_error: true,
  unreadable_response: true,
  misconfigured: false,
  refused: false,
  canceled_by_caller: true,
  circuit_open: true,
  overloaded: true,
};

export interface ProviderFailureDetail {
  /** HTTP status the provider answered, when it answered. */
  readonly httpStatus?: number | undefined;
  /** The provider's own id for the request (for support), when it sent one. */
  readonly providerRequestId?: string | undefined;
  /** The provider's error code (never its free-text message or body). */
  readonly providerErrorCode?: string | undefined;
  /** What was wrong with an unreadable response (field names only, never values). */
  readonly problem?: string | undefined;
}

/**
 * A provider call that produced no usable answer. Its message is safe to show a caller:
 * it never contains a provider body, a URL with credentials or a secret.
 */
export class ProviderUnavailableError extends Error {
  override readonly name = 'ProviderUnavailableError';
  readonly retryable: boolean;

  constructor(
    readonly provider: PaymentProviderName,
    readonly failure: ProviderFailure,
    readonly detail: ProviderFailureDetail = {},
  ) {
    super(MESSAGES[failure]);
    this.retryable = RETRYABLE[failure];
  }
}

/** A provider response that does not have the documented shape. */
export class UnreadableResponseError extends Error {
  override readonly name = 'UnreadableResponseError';
}
