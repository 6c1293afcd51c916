/**
 * The token bucket shared by both backends: its options, their validation, and the arithmetic
 * of a refill and a take. Time is in milliseconds from the injected clock.
 */

export interface RateLimitOptions {
  /** The burst: how many tokens a bucket holds, and starts with. At least 1. */
  readonly capacity: number;
  /** Tokens added back per second, continuously, up to `capacity`. */
  readonly refillPerSecond: number;
}

export type RateLimitDecision =
  | { readonly allowed: true; readonly remaining: number }
  | { readonly allowed: false; readonly retryAfterMs: number };

export interface RateLimiter {
  /**
   * Takes one token from the bucket of `key` (a caller's name), or says when one will be back.
   * The in-process limiter decides at once and returns the decision itself (a cancel awaits
   * it only when it is a promise: awaiting a value still costs a turn of the microtask queue).
   */
  take(key: string): RateLimitDecision | Promise<RateLimitDecision>;
  close(): Promise<void>;
}

/**
 * Floating-point slack: a bucket that refilled for exactly the advertised `retryAfterMs` may
 * hold 0.9999999999 tokens; that counts as one.
 */
export const EPSILON = 1e-9;

/** Throws a plain Error naming the first invalid option. */
export function validateOptions(options: RateLimitOptions & { now?: unknown }): void {
  if (typeof options !== 'object' || options === null) throw new Error('Rate limit options are required.');
  const { capacity, refillPerSecond, now } = options;
  if (!isPositiveFinite(capacity) || capacity < 1) {
    throw new Error(`Rate limit capacity must be a finite number of at least 1, got ${String(capacity)}.`);
  }
  if (!isPositiveFinite(refillPerSecond)) {
    throw new Error(`Rate limit refillPerSecond must be a positive finite number, got ${String(refillPerSecond)}.`);
  }
  if (now !== undefined && typeof now !== 'function') throw new Error('Rate limit option now must be a function.');
}

export function isPositiveFinite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/** The decision for a bucket holding `tokens` after the take (allowed) or without one (refused). */
export function decision(allowed: boolean, tokens: number, refillPerSecond: number): RateLimitDecision {
  if (allowed) return { allowed: true, remaining: Math.max(0, Math.floor(tokens + EPSILON)) };
  // Shaving a relative 1e-12 off keeps 700.0000000000001 from becoming 701; the refill in that
  // time then falls short of a token by far less than EPSILON.
  const waitMs = (Math.max(0, 1 - tokens) * 1_000) / refillPerSecond;
  return { allowed: false, retryAfterMs: Math.max(1, Math.ceil(waitMs * (1 - 1e-12))) };
}

/** Milliseconds for an empty bucket to refill fully: the longest an idle key is worth keeping. */
export function fullRefillMs(options: RateLimitOptions): number {
  return Math.ceil((options.capacity * 1_000) / options.refillPerSecond);
}
