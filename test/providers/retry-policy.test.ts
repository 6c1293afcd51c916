import { describe, expect, it } from 'vitest';
import { isRetryable, parseRetryAfter, retryDelayMs, type AttemptOutcome } from '../../src/providers/retry-policy.js';

describe('isRetryable', () => {
  const status = (code: number): AttemptOutcome => ({ kind: 'response', status: code });
  it.each([
    [status(200), false, false],
    [status(400), false, false],
    [status(401), false, false],
    [status(404), false, false],
    [status(409), false, false],
    [status(429), true, true],
    [status(500), false, false],
    [status(502), true, false],
    [status(503), true, true],
    [status(504), true, false],
    [{ kind: 'transport', failure: 'connection', sent: false }, true, true],
    [{ kind: 'transport', failure: 'timeout', sent: false }, true, true],
    [{ kind: 'transport', failure: 'connection', sent: true }, true, false],
    [{ kind: 'transport', failure: 'timeout', sent: true }, true, false],
    [{ kind: 'transport', failure: 'unreadable_response', sent: true }, true, false],
  ] as Array<[AttemptOutcome, boolean, boolean]>)('%j: read %s, cancel %s', (outcome, read, cancel) => {
    expect(isRetryable('idempotent', outcome)).toBe(read);
    expect(isRetryable('unprocessed-only', outcome)).toBe(cancel);
  });
});

describe('retryDelayMs', () => {
  it.each([
    [1, undefined, 1, 50],
    [2, undefined, 1, 100],
    [3, undefined, 1, 200],
    [10, undefined, 1, 1000], // capped
    [3, undefined, 0, 0], // full jitter reaches down to zero
    [3, undefined, 0.5, 100],
    [1, 2000, 0.5, 2000], // Retry-After is a floor
    [5, 100, 0.99, 792],
  ])('attempt %i, Retry-After %s ms, random %s: %i ms', (attempt, retryAfter, random, expected) => {
    expect(retryDelayMs(attempt, retryAfter, () => random)).toBe(expected);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2024-01-01T00:00:00Z');
  it.each([
    [undefined, undefined],
    ['2', 2000],
    [' 0 ', 0],
    ['Mon, 01 Jan 2024 00:00:05 GMT', 5000],
    ['Sun, 31 Dec 2023 23:59:00 GMT', 0],
    ['soon', undefined],
    ['-1', undefined],
    ['1.5', undefined],
  ])('%j is %s ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});
