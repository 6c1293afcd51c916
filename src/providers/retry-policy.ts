/**
 * When a provider call may be tried again, and after how long. Pure functions, tested as
 * tables; the loop that uses them is in http.ts.
 *
 * Reads (GET) have no effect at the provider, so they are retried on every transient
 * failure: connection errors, timeouts, 429, 502, 503 and 504.
 *
 * A cancel is retried only when the provider cannot have processed the first attempt:
 * - the connection was never made (refused, DNS failure, connect timeout): nothing was sent;
 * - 429 and 503: the provider says it did not process the request.
 * A 500, 502, 504, a reset or a timeout after the request was sent may hide a cancel that
 * happened: that is answered ProviderUnavailable (retryable) instead, and the caller's retry
 * is safe on both providers, because cancelling a cancelled payment is refused (HMAC 400
 * VALIDATION_ERROR, Primer 400 InvalidPaymentStatus or, with the same idempotency key, 409
 * IdempotencyKeyAlreadyExists), which the gateway reports as alreadyCanceled: true. A retry
 * inside the gateway would give that same answer for a cancel this very request made.
 */

export type RetryRule = 'idempotent' | 'unprocessed-only';

/** The outcome of one attempt, as far as retrying cares. */
export type AttemptOutcome =
  | { readonly kind: 'response'; readonly status: number }
  | { readonly kind: 'transport'; readonly failure: 'timeout' | 'connection' | 'unreadable_response'; readonly sent: boolean };

const READ_RETRY_STATUSES = new Set([429, 502, 503, 504]);
const UNPROCESSED_STATUSES = new Set([429, 503]);

export function isRetryable(rule: RetryRule, outcome: AttemptOutcome): boolean {
  if (outcome.kind === 'response') {
    return (rule === 'idempotent' ? READ_RETRY_STATUSES : UNPROCESSED_STATUSES).has(outcome.status);
  }
  return rule === 'idempotent' || !outcome.sent;
}

export interface BackoffOptions {
  readonly baseMs: number;
  readonly capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 50, capMs: 1000 };

/**
 * Milliseconds to wait before attempt `attempt + 1` (attempt counts from 1): capped
 * exponential backoff with full jitter, but never less than the provider's Retry-After.
 */
export function retryDelayMs(attempt: number, retryAfterMs: number | undefined, random: () => number, backoff: BackoffOptions = DEFAULT_BACKOFF): number {
  const exponential = Math.min(backoff.capMs, backoff.baseMs * 2 ** (attempt - 1));
  const jittered = Math.floor(random() * exponential);
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date) || !/[A-Za-z]/.test(trimmed)) return undefined;
  return Math.max(0, date - nowMs);
}
