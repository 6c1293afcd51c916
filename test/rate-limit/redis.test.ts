/** The Redis rate limiter: what it stores, replicas sharing a budget, atomicity, and falling back without Redis. */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createRedisRateLimiter, type RateLimitOptions, type RateLimiter } from '../../src/rate-limit/index.js';
import { REDIS_URL, cleanUp, inspector, manualClock, until } from './support.js';

const prefix = `test:${randomUUID()}:`;
const redis = inspector();
afterAll(() => cleanUp(redis, prefix));

const redisErrors: unknown[] = [];
const open: RateLimiter[] = [];
/** A limiter on the test Redis; any error it reports fails the test (it would have used memory). */
function replica(options: RateLimitOptions & { now: () => number }): RateLimiter {
  const limiter = createRedisRateLimiter({ ...options, url: REDIS_URL, keyPrefix: prefix, onRedisError: (e) => redisErrors.push(e) });
  open.push(limiter);
  return limiter;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((limiter) => limiter.close()));
  expect(redisErrors.splice(0)).toEqual([]);
});

const redisKey = (key: string): string => prefix + createHash('sha256').update(key).digest('hex');

describe('the Redis rate limiter', () => {
  it('stores { tokens, ts } in a hash under a hashed key, never the raw caller name', async () => {
    const clock = manualClock(1_000_000);
    const limiter = replica({ capacity: 5, refillPerSecond: 1, now: clock.now });
    const key = `raw caller ${randomUUID()}`;
    await limiter.take(key);
    expect(await redis.hgetall(redisKey(key))).toEqual({ tokens: '4', ts: '1000000' });
    const keys = await redis.keys(`${prefix}*`);
    expect(keys).toContain(redisKey(key));
    expect(keys.some((name) => name.includes('raw caller'))).toBe(false);
  });

  it('expires a key after about the time its bucket needs to refill fully', async () => {
    const clock = manualClock();
    const limiter = replica({ capacity: 10, refillPerSecond: 2, now: clock.now });
    const key = randomUUID();
    await limiter.take(key);
    const afterOne = await redis.pttl(redisKey(key));
    expect(afterOne).toBeGreaterThan(0);
    expect(afterOne).toBeLessThanOrEqual(500);
    for (let i = 0; i < 10; i++) await limiter.take(key);
    const drained = await redis.pttl(redisKey(key));
    expect(drained).toBeGreaterThan(4_000);
    expect(drained).toBeLessThanOrEqual(5_000);
  });

  it('lets an idle key vanish, after which the caller starts full', async () => {
    const clock = manualClock();
    const limiter = replica({ capacity: 2, refillPerSecond: 100, now: clock.now });
    const key = randomUUID();
    await limiter.take(key);
    await until(async () => (await redis.exists(redisKey(key))) === 0);
    expect(await limiter.take(key)).toEqual({ allowed: true, remaining: 1 });
  });

  it('shares one budget between two replicas', async () => {
    const clock = manualClock();
    const [first, second] = [replica({ capacity: 5, refillPerSecond: 1, now: clock.now }), replica({ capacity: 5, refillPerSecond: 1, now: clock.now })];
    const key = randomUUID();
    for (let i = 0; i < 3; i++) expect((await first!.take(key)).allowed).toBe(true);
    expect(await second!.take(key)).toEqual({ allowed: true, remaining: 1 });
    expect(await second!.take(key)).toEqual({ allowed: true, remaining: 0 });
    expect(await first!.take(key)).toEqual({ allowed: false, retryAfterMs: 1_000 });
    clock.advance(1_000);
    expect(await second!.take(key)).toEqual({ allowed: true, remaining: 0 });
    expect((await first!.take(key)).allowed).toBe(false);
  });

  it('allows exactly capacity of 50 concurrent takes across two replicas', async () => {
    const clock = manualClock();
    const replicas = [replica({ capacity: 10, refillPerSecond: 0.001, now: clock.now }), replica({ capacity: 10, refillPerSecond: 0.001, now: clock.now })];
    const key = randomUUID();
    const decisions = await Promise.all(Array.from({ length: 50 }, (_, i) => replicas[i % 2]!.take(key)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
    expect(decisions.filter((d) => d.allowed).map((d) => (d.allowed ? d.remaining : -1)).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Number(await redis.hget(redisKey(key), 'tokens'))).toBe(0);
  });

  it('refills nothing for a replica whose clock is behind the last take', async () => {
    const [ahead, behind] = [manualClock(2_000_000), manualClock(1_000_000)];
    const first = replica({ capacity: 1, refillPerSecond: 1, now: ahead.now });
    const second = replica({ capacity: 1, refillPerSecond: 1, now: behind.now });
    const key = randomUUID();
    expect((await first.take(key)).allowed).toBe(true);
    behind.advance(500_000);
    expect((await second.take(key)).allowed).toBe(false);
    expect(await redis.hget(redisKey(key), 'ts')).toBe('2000000');
  });

  it('answers from memory, quickly, when Redis cannot be reached, and reports why', async () => {
    const errors: unknown[] = [];
    const clock = manualClock();
    const limiter = createRedisRateLimiter({
      capacity: 2,
      refillPerSecond: 1,
      url: 'redis://:s3cret-pass@127.0.0.1:6391',
      keyPrefix: prefix,
      now: clock.now,
      onRedisError: (error) => errors.push(error),
    });
    const expected = [{ allowed: true, remaining: 1 }, { allowed: true, remaining: 0 }, { allowed: false, retryAfterMs: 1_000 }];
    for (const decision of expected) {
      const started = performance.now();
      expect(await limiter.take('caller')).toEqual(decision);
      expect(performance.now() - started).toBeLessThan(3_000);
    }
    expect(errors).toHaveLength(3);
    for (const error of errors) {
      expect(error).toBeInstanceOf(Error);
      expect(`${String(error)} ${String((error as Error).cause)}`).not.toContain('s3cret');
    }
    await limiter.close();
  });

  it('still answers when the error callback throws', async () => {
    const limiter = createRedisRateLimiter({
      capacity: 1,
      refillPerSecond: 1,
      url: 'redis://127.0.0.1:6391',
      onRedisError: () => {
        throw new Error('logger down');
      },
    });
    expect(await limiter.take('caller')).toEqual({ allowed: true, remaining: 0 });
    await limiter.close();
  });

  it('closes twice without hanging, and answers from memory once closed', async () => {
    const errors: unknown[] = [];
    const limiter = createRedisRateLimiter({ capacity: 1, refillPerSecond: 1, url: REDIS_URL, keyPrefix: prefix, onRedisError: (e) => errors.push(e) });
    const key = randomUUID();
    expect((await limiter.take(key)).allowed).toBe(true);
    await limiter.close();
    await limiter.close();
    expect((await limiter.take(key)).allowed).toBe(true);
    expect(errors).toEqual([]);
    await createRedisRateLimiter({ capacity: 1, refillPerSecond: 1, url: REDIS_URL }).close();
  });
});
