/** The Redis ledger: what it stores, replicas racing, expiry, and failing fast without Redis. */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createRedisLedger, LedgerUnavailableError, type IdempotencyLedger, type LedgerOptions } from '../../src/idempotency/index.js';
import { REDIS_URL, claimOf, cleanUp, countStates, firstClaim, inspector, until } from './support.js';

const prefix = `test:${randomUUID()}:`;
const redis = inspector();
afterAll(() => cleanUp(redis, prefix));

const open: IdempotencyLedger[] = [];
function replica(options: LedgerOptions = {}): IdempotencyLedger {
  const ledger = createRedisLedger({ ...options, url: REDIS_URL, keyPrefix: prefix });
  open.push(ledger);
  return ledger;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((ledger) => ledger.close()));
});

function redisKey(scope: string, key: string): string {
  return `${prefix}${scope}:${createHash('sha256').update(key).digest('hex')}`;
}

describe('the Redis ledger', () => {
  it('stores versioned JSON under a hashed key, never the raw key', async () => {
    const ledger = replica({ ttlMs: 60_000, claimTtlMs: 5_000 });
    const key = `raw key ${randomUUID()} ${'x'.repeat(200)}`;
    const claim = claimOf(await ledger.claim({ scope: 'caller', key, fingerprint: 'fp' }));

    const pending = JSON.parse((await redis.get(redisKey('caller', key))) ?? 'null');
    expect(pending).toEqual({ v: 1, fp: 'fp', state: 'pending', owner: expect.any(String) });
    const claimTtl = await redis.pttl(redisKey('caller', key));
    expect(claimTtl).toBeGreaterThan(0);
    expect(claimTtl).toBeLessThanOrEqual(5_000);

    await claim.complete({ kind: 'ok' });
    const done = JSON.parse((await redis.get(redisKey('caller', key))) ?? 'null');
    expect(done).toEqual({ v: 1, fp: 'fp', state: 'done', outcome: { kind: 'ok' } });
    const keys = await redis.keys(`${prefix}*`);
    expect(keys.some((name) => name.includes('raw key'))).toBe(false);
  });

  it('keeps a completed outcome for ttlMs', async () => {
    const ledger = replica({ ttlMs: 30_000 });
    const key = randomUUID();
    await claimOf(await ledger.claim({ scope: 's', key, fingerprint: 'fp' })).complete({ kind: 'ok' });
    const ttl = await redis.pttl(redisKey('s', key));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30_000);
  });

  it('gives exactly one of two replicas racing 20 claims the key, and its outcome to the rest', async () => {
    const replicas = [replica(), replica()];
    const key = randomUUID();
    const results = Array.from({ length: 20 }, (_, i) => replicas[i % 2]!.claim({ scope: 's', key, fingerprint: 'fp' }));
    const winner = await firstClaim(results);
    await winner.claim.complete({ kind: 'ok', by: winner.index });

    const settled = await Promise.all(results);
    expect(countStates(settled)).toEqual({ claimed: 1, replay: 19 });
    for (const result of settled) if (result.state === 'replay') expect(result.outcome).toEqual({ kind: 'ok', by: winner.index });
  });

  it('lets another replica take over a claim held past claimTtlMs; the stale owner cannot overwrite it', async () => {
    const [first, second] = [replica({ claimTtlMs: 150 }), replica({ claimTtlMs: 10_000 })];
    const key = randomUUID();
    const stale = claimOf(await first!.claim({ scope: 's', key, fingerprint: 'fp' }));
    await until(async () => (await redis.exists(redisKey('s', key))) === 0);

    const fresh = claimOf(await second!.claim({ scope: 's', key, fingerprint: 'fp' }));
    const taken = await redis.get(redisKey('s', key));
    await stale.complete({ kind: 'stale' });
    await stale.release();
    expect(await redis.get(redisKey('s', key))).toBe(taken);

    await fresh.complete({ kind: 'fresh' });
    expect(await first!.claim({ scope: 's', key, fingerprint: 'fp' })).toEqual({ state: 'replay', outcome: { kind: 'fresh' } });
  });

  it('lets a waiter claim a key whose holder vanished', async () => {
    const holder = replica({ claimTtlMs: 150 });
    const waiter = replica({ maxWaitMs: 10_000 });
    const key = randomUUID();
    claimOf(await holder.claim({ scope: 's', key, fingerprint: 'fp' }));
    const waited = await waiter.claim({ scope: 's', key, fingerprint: 'fp' });
    expect(waited.state).toBe('claimed');
    await claimOf(waited).release();
  });

  it('fails closed and fast when Redis cannot be reached, without leaking the password', async () => {
    const ledger = createRedisLedger({ url: 'redis://:s3cret-pass@127.0.0.1:6390', keyPrefix: prefix });
    for (let attempt = 0; attempt < 2; attempt++) {
      const started = performance.now();
      const error: unknown = await Promise.resolve(ledger.claim({ scope: 's', key: 'k', fingerprint: 'fp' })).catch((e: unknown) => e);
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(error).toBeInstanceOf(LedgerUnavailableError);
      const cause = (error as LedgerUnavailableError).cause;
      expect(cause).toBeInstanceOf(Error);
      expect(`${String(error)} ${String(cause)} ${JSON.stringify(error)}`).not.toContain('s3cret');
    }
    await ledger.close();
  });

  it('fails closed once closed, and closes twice without hanging', async () => {
    const ledger = createRedisLedger({ url: REDIS_URL, keyPrefix: prefix });
    const key = randomUUID();
    await claimOf(await ledger.claim({ scope: 's', key, fingerprint: 'fp' })).release();
    await ledger.close();
    await ledger.close();
    await expect(ledger.claim({ scope: 's', key, fingerprint: 'fp' })).rejects.toBeInstanceOf(LedgerUnavailableError);
    await createRedisLedger({ url: REDIS_URL }).close();
  });

  it('fails closed on a record it cannot read', async () => {
    const ledger = replica();
    const key = randomUUID();
    await redis.set(redisKey('s', key), 'not json', 'PX', 60_000);
    await expect(ledger.claim({ scope: 's', key, fingerprint: 'fp' })).rejects.toBeInstanceOf(LedgerUnavailableError);
  });
});
