/** The memory rate limiter: its bounded size and its defaults. */
import { describe, expect, it } from 'vitest';
import { createMemoryRateLimiter } from '../../src/rate-limit/index.js';
import { manualClock } from './support.js';

describe('the memory rate limiter', () => {
  it('evicts the least recently used bucket past maxKeys', async () => {
    const clock = manualClock();
    const limiter = createMemoryRateLimiter({ capacity: 1, refillPerSecond: 0.001, now: clock.now, maxKeys: 2 });
    expect((await limiter.take('a')).allowed).toBe(true);
    expect((await limiter.take('b')).allowed).toBe(true);
    expect((await limiter.take('a')).allowed).toBe(false); // uses a: b is now the least recent
    expect((await limiter.take('c')).allowed).toBe(true); // evicts b
    expect((await limiter.take('a')).allowed).toBe(false); // a was kept
    expect((await limiter.take('b')).allowed).toBe(true); // b starts full again; evicts c
    expect((await limiter.take('a')).allowed).toBe(false);
    expect((await limiter.take('c')).allowed).toBe(true);
    await limiter.close();
  });

  it('keeps up to maxKeys buckets', async () => {
    const clock = manualClock();
    const limiter = createMemoryRateLimiter({ capacity: 1, refillPerSecond: 0.001, now: clock.now, maxKeys: 100 });
    for (let i = 0; i < 100; i++) expect((await limiter.take(`k${i}`)).allowed).toBe(true);
    for (let i = 0; i < 100; i++) expect((await limiter.take(`k${i}`)).allowed).toBe(false);
    await limiter.close();
  });

  it('past maxKeys of 100 or more, evicts the least recently used 1% at once', async () => {
    const clock = manualClock();
    const limiter = createMemoryRateLimiter({ capacity: 1, refillPerSecond: 0.001, now: clock.now, maxKeys: 200 });
    for (let i = 0; i < 200; i++) expect((await limiter.take(`k${i}`)).allowed).toBe(true);
    // The 201st key: 201 buckets, down to 198 (200 less 1%): k0, k1, k2 go.
    expect((await limiter.take('k200')).allowed).toBe(true);
    for (const key of ['k2', 'k1', 'k0']) expect((await limiter.take(key)).allowed).toBe(true);
    // Those three took places again: 201 buckets, k3..k5 go; k6 onwards were kept.
    for (const key of ['k6', 'k100', 'k199', 'k200']) expect((await limiter.take(key)).allowed).toBe(false);
    await limiter.close();
  });

  it('uses the real clock by default', async () => {
    const limiter = createMemoryRateLimiter({ capacity: 1, refillPerSecond: 0.001 });
    expect(await limiter.take('k')).toEqual({ allowed: true, remaining: 0 });
    const refused = await limiter.take('k');
    expect(refused.allowed).toBe(false);
    if (!refused.allowed) expect(refused.retryAfterMs).toBeGreaterThan(990_000);
    await limiter.close();
  });

  it('decides at once: the decision itself, not a promise of it', () => {
    const limiter = createMemoryRateLimiter({ capacity: 1, refillPerSecond: 0.001, now: manualClock().now });
    expect(limiter.take('k')).toEqual({ allowed: true, remaining: 0 });
    expect(limiter.take('k')).toMatchObject({ allowed: false });
  });

  it('rejects a maxKeys that is not a positive integer', () => {
    for (const maxKeys of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createMemoryRateLimiter({ capacity: 1, refillPerSecond: 1, maxKeys })).toThrow(/maxKeys/);
    }
  });
});
