/** What both backends promise: a token bucket per key, on an injected clock. */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createMemoryRateLimiter, createRedisRateLimiter, type RateLimitOptions, type RateLimiter } from '../../src/rate-limit/index.js';
import { REDIS_URL, cleanUp, inspector, manualClock, type ManualClock } from './support.js';

const prefix = `test:${randomUUID()}:`;
const redis = inspector();
afterAll(() => cleanUp(redis, prefix));

/** Errors a Redis limiter reported: any would mean a take was decided in memory, not Redis. */
const redisErrors: unknown[] = [];
const open: RateLimiter[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((limiter) => limiter.close()));
  expect(redisErrors.splice(0)).toEqual([]);
});

type Factory = (options: RateLimitOptions & { now: () => number }) => RateLimiter;
const backends: [string, Factory][] = [
  ['memory', (options) => createMemoryRateLimiter(options)],
  ['redis', (options) => createRedisRateLimiter({ ...options, url: REDIS_URL, keyPrefix: prefix, onRedisError: (e) => redisErrors.push(e) })],
];

describe.each(backends)('the %s rate limiter', (_name, factory) => {
  function limiter(options: RateLimitOptions): { limiter: RateLimiter; clock: ManualClock } {
    const clock = manualClock();
    const created = factory({ ...options, now: clock.now });
    open.push(created);
    return { limiter: created, clock };
  }
  /** A caller name no other test (or earlier run) uses. */
  const caller = (): string => `caller ${randomUUID()}`;

  it('allows a burst of capacity, then refuses with the time until a token is back', async () => {
    const { limiter: l, clock } = limiter({ capacity: 3, refillPerSecond: 2 });
    const key = caller();
    expect(await l.take(key)).toEqual({ allowed: true, remaining: 2 });
    expect(await l.take(key)).toEqual({ allowed: true, remaining: 1 });
    expect(await l.take(key)).toEqual({ allowed: true, remaining: 0 });
    expect(await l.take(key)).toEqual({ allowed: false, retryAfterMs: 500 });
    clock.advance(200);
    expect(await l.take(key)).toEqual({ allowed: false, retryAfterMs: 300 });
  });

  it('refills continuously as time passes', async () => {
    const { limiter: l, clock } = limiter({ capacity: 2, refillPerSecond: 4 });
    const key = caller();
    await l.take(key);
    await l.take(key);
    expect(await l.take(key)).toEqual({ allowed: false, retryAfterMs: 250 });
    clock.advance(249);
    expect(await l.take(key)).toEqual({ allowed: false, retryAfterMs: 1 });
    clock.advance(1);
    expect(await l.take(key)).toEqual({ allowed: true, remaining: 0 });
    clock.advance(500);
    expect(await l.take(key)).toEqual({ allowed: true, remaining: 1 });
    expect(await l.take(key)).toEqual({ allowed: true, remaining: 0 });
    expect((await l.take(key)).allowed).toBe(false);
  });

  it('waits exactly the advertised retryAfterMs with a fractional rate', async () => {
    const { limiter: l, clock } = limiter({ capacity: 1, refillPerSecond: 0.3 });
    const key = caller();
    expect(await l.take(key)).toEqual({ allowed: true, remaining: 0 });
    clock.advance(1_000);
    expect(await l.take(key)).toEqual({ allowed: false, retryAfterMs: 2_334 });
    clock.advance(2_333);
    expect(await l.take(key)).toEqual({ allowed: false, retryAfterMs: 1 });
    clock.advance(1);
    expect(await l.take(key)).toEqual({ allowed: true, remaining: 0 });
  });

  it('keeps one bucket per key', async () => {
    const { limiter: l } = limiter({ capacity: 2, refillPerSecond: 1 });
    const [first, second] = [caller(), caller()];
    await l.take(first);
    await l.take(first);
    expect((await l.take(first)).allowed).toBe(false);
    expect(await l.take(second)).toEqual({ allowed: true, remaining: 1 });
    expect(await l.take('')).toEqual({ allowed: true, remaining: 1 });
    expect((await l.take(first)).allowed).toBe(false);
  });

  it('never refills beyond capacity', async () => {
    const { limiter: l, clock } = limiter({ capacity: 3, refillPerSecond: 10 });
    const key = caller();
    await l.take(key);
    clock.advance(3_600_000);
    expect(await l.take(key)).toEqual({ allowed: true, remaining: 2 });
    expect(await l.take(key)).toEqual({ allowed: true, remaining: 1 });
    expect(await l.take(key)).toEqual({ allowed: true, remaining: 0 });
    expect(await l.take(key)).toEqual({ allowed: false, retryAfterMs: 100 });
  });

  it('refills nothing when the clock steps back, and resumes when it catches up', async () => {
    const { limiter: l, clock } = limiter({ capacity: 1, refillPerSecond: 1 });
    const key = caller();
    await l.take(key);
    clock.advance(-10_000);
    expect(await l.take(key)).toEqual({ allowed: false, retryAfterMs: 1_000 });
    clock.advance(10_999);
    expect(await l.take(key)).toEqual({ allowed: false, retryAfterMs: 1 });
    clock.advance(1);
    expect(await l.take(key)).toEqual({ allowed: true, remaining: 0 });
  });

  it('rejects options that are not positive finite numbers', () => {
    const clock = manualClock();
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => factory({ capacity: bad, refillPerSecond: 1, now: clock.now })).toThrow(/capacity/);
      expect(() => factory({ capacity: 1, refillPerSecond: bad, now: clock.now })).toThrow(/refillPerSecond/);
    }
    expect(() => factory({ capacity: 0.5, refillPerSecond: 1, now: clock.now })).toThrow(/capacity/);
    expect(() => factory({ capacity: '3' as unknown as number, refillPerSecond: 1, now: clock.now })).toThrow(/capacity/);
  });
});
