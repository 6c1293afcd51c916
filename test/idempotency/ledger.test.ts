/** The behaviour both idempotency ledgers share, run against each backend. */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Cancellation } from '../../src/cancellation.js';
import { createMemoryLedger, createRedisLedger, type IdempotencyLedger, type LedgerOptions } from '../../src/idempotency/index.js';
import { REDIS_URL, claimOf, cleanUp, countStates, firstClaim, inspector } from './support.js';

const prefix = `test:${randomUUID()}:`;
const backends: [string, (options?: LedgerOptions) => IdempotencyLedger][] = [
  ['memory', (options) => createMemoryLedger(options)],
  ['redis', (options) => createRedisLedger({ ...options, url: REDIS_URL, keyPrefix: prefix })],
];

afterAll(() => cleanUp(inspector(), prefix));

describe.each(backends)('the %s ledger', (_name, create) => {
  const open: IdempotencyLedger[] = [];
  function ledger(options?: LedgerOptions): IdempotencyLedger {
    const created = create(options);
    open.push(created);
    return created;
  }
  afterEach(async () => {
    await Promise.all(open.splice(0).map((l) => l.close()));
  });

  const outcome = { kind: 'CancelPaymentSuccess', payment: { id: 'pay_1', amount: { value: '10.00', currency: 'EUR' } }, tags: ['a', 1, null] };

  it('replays a completed outcome unchanged for the same fingerprint, and conflicts for another', async () => {
    const l = ledger();
    const key = randomUUID();
    await claimOf(await l.claim({ scope: 's', key, fingerprint: 'fp1' })).complete(outcome);

    const replay = await l.claim({ scope: 's', key, fingerprint: 'fp1' });
    expect(replay).toEqual({ state: 'replay', outcome });
    expect(await l.claim({ scope: 's', key, fingerprint: 'fp1' })).toEqual({ state: 'replay', outcome });
    expect(await l.claim({ scope: 's', key, fingerprint: 'fp2' })).toEqual({ state: 'conflict' });
  });

  it('conflicts at once with a pending claim for another fingerprint', async () => {
    const l = ledger();
    const key = randomUUID();
    const held = claimOf(await l.claim({ scope: 's', key, fingerprint: 'fp1' }));
    expect(await l.claim({ scope: 's', key, fingerprint: 'fp2' })).toEqual({ state: 'conflict' });
    await held.release();
  });

  it('keeps scopes independent', async () => {
    const l = ledger();
    const key = randomUUID();
    const a = claimOf(await l.claim({ scope: 'caller-a', key, fingerprint: 'fp1' }));
    const b = claimOf(await l.claim({ scope: 'caller-b', key, fingerprint: 'fp2' }));
    await a.complete({ kind: 'a' });
    await b.complete({ kind: 'b' });
    expect(await l.claim({ scope: 'caller-a', key, fingerprint: 'fp1' })).toEqual({ state: 'replay', outcome: { kind: 'a' } });
    expect(await l.claim({ scope: 'caller-b', key, fingerprint: 'fp2' })).toEqual({ state: 'replay', outcome: { kind: 'b' } });
  });

  it('lets a released key be claimed again, by any fingerprint', async () => {
    const l = ledger();
    const key = randomUUID();
    await claimOf(await l.claim({ scope: 's', key, fingerprint: 'fp1' })).release();
    const again = claimOf(await l.claim({ scope: 's', key, fingerprint: 'fp2' }));
    await again.complete(outcome);
    expect(await l.claim({ scope: 's', key, fingerprint: 'fp2' })).toEqual({ state: 'replay', outcome });
  });

  it('ignores release and a second complete after complete', async () => {
    const l = ledger();
    const key = randomUUID();
    const claim = claimOf(await l.claim({ scope: 's', key, fingerprint: 'fp1' }));
    await claim.complete(outcome);
    await claim.release();
    await claim.complete({ kind: 'other' });
    expect(await l.claim({ scope: 's', key, fingerprint: 'fp1' })).toEqual({ state: 'replay', outcome });
  });

  it('gives 20 concurrent claims one holder, and its outcome to the 19 others', async () => {
    const l = ledger();
    const key = randomUUID();
    const results = Array.from({ length: 20 }, () => l.claim({ scope: 's', key, fingerprint: 'fp1' }));
    const winner = await firstClaim(results);
    await winner.claim.complete(outcome);

    const settled = await Promise.all(results);
    expect(countStates(settled)).toEqual({ claimed: 1, replay: 19 });
    for (const result of settled) if (result.state === 'replay') expect(result.outcome).toEqual(outcome);
  });

  it('hands a released key to exactly one waiter; the others wait for it', async () => {
    const l = ledger();
    const key = randomUUID();
    const results = Array.from({ length: 20 }, () => l.claim({ scope: 's', key, fingerprint: 'fp1' }));
    const first = await firstClaim(results);
    await first.claim.release();

    const waiters = results.filter((_, index) => index !== first.index);
    const second = await firstClaim(waiters);
    await second.claim.complete(outcome);

    const settled = await Promise.all(waiters);
    expect(countStates(settled)).toEqual({ claimed: 1, replay: 18 });
  });

  it('answers in_progress once the wait limit passes', async () => {
    const l = ledger({ maxWaitMs: 100 });
    const key = randomUUID();
    const held = claimOf(await l.claim({ scope: 's', key, fingerprint: 'fp1' }));
    const started = performance.now();
    expect(await l.claim({ scope: 's', key, fingerprint: 'fp1' })).toEqual({ state: 'in_progress' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    await held.release();
  });

  it('stops waiting when the signal aborts, rejecting with its reason', async () => {
    const l = ledger();
    const key = randomUUID();
    const held = claimOf(await l.claim({ scope: 's', key, fingerprint: 'fp1' }));
    const controller = new AbortController();
    const waiting = l.claim({ scope: 's', key, fingerprint: 'fp1', signal: controller.signal });
    const reason = new Error('the caller went away');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);

    const aborted = AbortSignal.abort(reason);
    await expect(l.claim({ scope: 's', key, fingerprint: 'fp1', signal: aborted })).rejects.toBe(reason);

    // A signal that fires while the request is already waiting (the ledger's wait is 10 s).
    const started = performance.now();
    await expect(l.claim({ scope: 's', key, fingerprint: 'fp1', signal: AbortSignal.timeout(150) })).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(performance.now() - started).toBeLessThan(5_000);
    await held.release();
  });

  it("stops waiting when the gateway's own Cancellation aborts, and leaves no listener behind", async () => {
    const l = ledger();
    const key = randomUUID();
    const held = claimOf(await l.claim({ scope: 's', key, fingerprint: 'fp1' }));
    const left = new Cancellation();
    const waiting = l.claim({ scope: 's', key, fingerprint: 'fp1', signal: left });
    const reason = new Error('caller disconnected');
    left.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(left.listenerCount()).toBe(0);

    // A wait that ends with the holder's outcome removes its listener too.
    const stays = new Cancellation();
    const replayed = l.claim({ scope: 's', key, fingerprint: 'fp1', signal: stays });
    await held.complete(outcome);
    expect(await replayed).toEqual({ state: 'replay', outcome });
    expect(stays.listenerCount()).toBe(0);
  });
});
