/** The in-memory ledger's clock-driven behaviour: claim expiry, outcome TTL and the size bound. */
import { describe, expect, it, vi } from 'vitest';
import { createMemoryLedger, LedgerUnavailableError } from '../../src/idempotency/index.js';
import { claimOf, firstClaim } from './support.js';

function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let at = start;
  return { now: () => at, advance: (ms) => (at += ms) };
}

describe('the memory ledger', () => {
  it('lets a claim held past claimTtlMs be taken over; the stale holder records nothing', async () => {
    const time = clock();
    const ledger = createMemoryLedger({ now: time.now, claimTtlMs: 1_000 });
    const stale = claimOf(await ledger.claim({ scope: 's', key: 'k', fingerprint: 'fp' }));

    time.advance(999);
    expect(await Promise.resolve(ledger.claim({ scope: 's', key: 'k', fingerprint: 'fp', signal: AbortSignal.abort() })).catch(() => 'waited')).toBe('waited');

    time.advance(1);
    const fresh = claimOf(await ledger.claim({ scope: 's', key: 'k', fingerprint: 'fp' }));
    await stale.complete({ kind: 'stale' });
    await stale.release();
    const waiting = ledger.claim({ scope: 's', key: 'k', fingerprint: 'fp' });
    await fresh.complete({ kind: 'fresh' });
    expect(await waiting).toEqual({ state: 'replay', outcome: { kind: 'fresh' } });
    await ledger.close();
  });

  it('moves the waiters of an abandoned claim on to the request that takes it over', async () => {
    const time = clock();
    const ledger = createMemoryLedger({ now: time.now, claimTtlMs: 60_000 });
    claimOf(await ledger.claim({ scope: 's', key: 'k', fingerprint: 'fp' }));
    const waiters = Array.from({ length: 3 }, () => ledger.claim({ scope: 's', key: 'k', fingerprint: 'fp' }));

    time.advance(60_000);
    const takeover = claimOf(await ledger.claim({ scope: 's', key: 'k', fingerprint: 'fp' }));
    await takeover.complete({ kind: 'done' });
    expect(await Promise.all(waiters)).toEqual(Array(3).fill({ state: 'replay', outcome: { kind: 'done' } }));
    await ledger.close();
  });

  it('forgets a completed outcome after ttlMs', async () => {
    const time = clock();
    const ledger = createMemoryLedger({ now: time.now, ttlMs: 5_000 });
    await claimOf(await ledger.claim({ scope: 's', key: 'k', fingerprint: 'fp1' })).complete({ kind: 'one' });

    time.advance(4_999);
    expect(await ledger.claim({ scope: 's', key: 'k', fingerprint: 'fp1' })).toEqual({ state: 'replay', outcome: { kind: 'one' } });
    expect(await ledger.claim({ scope: 's', key: 'k', fingerprint: 'fp2' })).toEqual({ state: 'conflict' });

    time.advance(1);
    const again = await ledger.claim({ scope: 's', key: 'k', fingerprint: 'fp2' });
    expect(again.state).toBe('claimed');
    await ledger.close();
  });

  it('keeps at most maxEntries completed outcomes, evicting the oldest', async () => {
    const ledger = createMemoryLedger({ maxEntries: 3 });
    for (const key of ['k1', 'k2', 'k3', 'k4']) {
      await claimOf(await ledger.claim({ scope: 's', key, fingerprint: 'fp' })).complete({ key });
    }
    // A pending claim does not count against the bound and is never evicted.
    const pending = claimOf(await ledger.claim({ scope: 's', key: 'p', fingerprint: 'fp' }));

    expect((await ledger.claim({ scope: 's', key: 'k1', fingerprint: 'other' })).state).toBe('claimed');
    for (const key of ['k2', 'k3', 'k4']) {
      expect(await ledger.claim({ scope: 's', key, fingerprint: 'fp' })).toEqual({ state: 'replay', outcome: { key } });
    }
    expect(await ledger.claim({ scope: 's', key: 'p', fingerprint: 'other' })).toEqual({ state: 'conflict' });
    await pending.release();
    await ledger.close();
  });

  it('also evicts the oldest outcomes while their size passes maxBytes, keeping the newest whatever its size', async () => {
    // Each entry: its id `1:s:key-N` (9) + fingerprint (2) + JSON + 150 of overhead; `{"pad":"…"}` is 10 + pad.
    const entry = (pad: number) => ({ pad: 'x'.repeat(pad) });
    const size = (pad: number) => 9 + 2 + 10 + pad + 150;
    const ledger = createMemoryLedger({ maxBytes: 3 * size(1000) });
    const complete = async (key: string, pad: number) => claimOf(await ledger.claim({ scope: 's', key, fingerprint: 'fp' })).complete(entry(pad));
    const replays = async (key: string) => (await ledger.claim({ scope: 's', key, fingerprint: 'fp' })).state === 'replay';

    for (const key of ['key-1', 'key-2', 'key-3']) await complete(key, 1000);
    expect(await replays('key-1')).toBe(true);
    // One byte over: the oldest goes, the rest stay.
    await complete('key-4', 1);
    expect(await replays('key-1')).toBe(false);
    for (const key of ['key-2', 'key-3', 'key-4']) expect(await replays(key)).toBe(true);
    // An outcome larger than the whole budget evicts every other and is itself kept.
    await complete('key-5', 10 * size(1000));
    for (const key of ['key-2', 'key-3', 'key-4']) expect(await replays(key)).toBe(false);
    expect(await ledger.claim({ scope: 's', key: 'key-5', fingerprint: 'fp' })).toEqual({ state: 'replay', outcome: entry(10 * size(1000)) });
    await ledger.close();
  });

  it('gives the budget back when outcomes expire', async () => {
    let clock = 0;
    const ledger = createMemoryLedger({ maxBytes: 2 * (9 + 2 + 10 + 1000 + 150), ttlMs: 1_000, now: () => clock });
    const complete = async (key: string) => claimOf(await ledger.claim({ scope: 's', key, fingerprint: 'fp' })).complete({ pad: 'x'.repeat(1000) });
    await complete('key-1');
    await complete('key-2');
    clock = 2_000;
    // key-1 and key-2 have expired: looking them up frees their share, so two fresh ones fit.
    expect((await ledger.claim({ scope: 's', key: 'key-1', fingerprint: 'other' })).state).toBe('claimed');
    expect((await ledger.claim({ scope: 's', key: 'key-2', fingerprint: 'other' })).state).toBe('claimed');
    await complete('key-3');
    await complete('key-4');
    for (const key of ['key-3', 'key-4']) expect((await ledger.claim({ scope: 's', key, fingerprint: 'fp' })).state).toBe('replay');
    await ledger.close();
  });

  it('evicts the oldest live outcome, skipping those forgotten on expiry, also for a key recorded again', async () => {
    const time = clock();
    const ledger = createMemoryLedger({ now: time.now, ttlMs: 1_000, maxEntries: 2 });
    const complete = async (key: string, value: string) => claimOf(await ledger.claim({ scope: 's', key, fingerprint: 'fp' })).complete({ value });
    await complete('k1', 'first');
    time.advance(500);
    await complete('k2', 'two');
    time.advance(500);
    // k1 has expired: looking it up forgets it, and the key records a new outcome, the newest.
    await complete('k1', 'second');
    await complete('k3', 'three');
    // Three live, two allowed: the oldest live one is k2, not k1's new outcome.
    expect((await ledger.claim({ scope: 's', key: 'k2', fingerprint: 'other' })).state).toBe('claimed');
    expect(await ledger.claim({ scope: 's', key: 'k1', fingerprint: 'fp' })).toEqual({ state: 'replay', outcome: { value: 'second' } });
    expect(await ledger.claim({ scope: 's', key: 'k3', fingerprint: 'fp' })).toEqual({ state: 'replay', outcome: { value: 'three' } });
    await ledger.close();
  });

  it('keeps evicting in completion order over many thousands of outcomes and sweeps', async () => {
    vi.useFakeTimers({ toFake: ['setInterval'] });
    try {
      const time = clock();
      const ledger = createMemoryLedger({ now: time.now, ttlMs: 120_000, maxEntries: 10 });
      const complete = async (key: string) => claimOf(await ledger.claim({ scope: 's', key, fingerprint: 'fp' })).complete({ key });
      for (let i = 0; i < 10_000; i++) await complete(`a${i}`);
      time.advance(60_000);
      for (let i = 0; i < 5; i++) await complete(`b${i}`);
      time.advance(60_000);
      // The a-keys have expired, the b-keys not; the sweep forgets the a-keys.
      vi.advanceTimersByTime(60_000);
      for (let i = 0; i < 8; i++) await complete(`c${i}`);
      // Ten allowed: b0..b2 are evicted, b3, b4 and the c-keys stay.
      const states = async (keys: string[]) => Promise.all(keys.map(async (key) => (await ledger.claim({ scope: 's', key, fingerprint: 'fp' })).state));
      expect(await states(['b0', 'b1', 'b2'])).toEqual(['claimed', 'claimed', 'claimed']);
      expect(await states(['b3', 'b4', ...Array.from({ length: 8 }, (_, i) => `c${i}`)])).toEqual(Array(10).fill('replay'));
      expect((await ledger.claim({ scope: 's', key: 'a9999', fingerprint: 'other' })).state).toBe('claimed');
      await ledger.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('counts outcome and fingerprint in UTF-8 bytes', async () => {
    // 'é' is two bytes: 500 of them weigh what 1000 'x' do, so the budget of three such entries holds three.
    const size = 9 + 2 + 10 + 1000 + 150;
    const ledger = createMemoryLedger({ maxBytes: 3 * size });
    const complete = async (key: string, pad: string) => claimOf(await ledger.claim({ scope: 's', key, fingerprint: 'fp' })).complete({ pad });
    for (const key of ['key-1', 'key-2', 'key-3']) await complete(key, 'é'.repeat(500));
    expect((await ledger.claim({ scope: 's', key: 'key-1', fingerprint: 'fp' })).state).toBe('replay');
    await complete('key-4', 'é');
    expect((await ledger.claim({ scope: 's', key: 'key-1', fingerprint: 'fp' })).state).toBe('claimed');
    await ledger.close();
  });

  it('replays thousands of outcomes of every size exactly, and refuses any other fingerprint', async () => {
    const ledger = createMemoryLedger();
    const outcomeOf = (i: number) => ({ kind: 'ok', i, text: ['', 'é', '𝄞', '日本', 'x'][i % 5]!.repeat((i * 37) % 3000) });
    const fingerprintOf = (i: number) => `fp-${i}-${'ü'.repeat(i % 3)}`;
    for (let i = 0; i < 3000; i++) await claimOf(await ledger.claim({ scope: 's', key: `k${i}`, fingerprint: fingerprintOf(i) })).complete(outcomeOf(i));
    for (let i = 0; i < 3000; i++) {
      expect(await ledger.claim({ scope: 's', key: `k${i}`, fingerprint: fingerprintOf(i) })).toEqual({ state: 'replay', outcome: outcomeOf(i) });
      expect(await ledger.claim({ scope: 's', key: `k${i}`, fingerprint: `${fingerprintOf(i)}ü` })).toEqual({ state: 'conflict' });
    }
    await ledger.close();
  });

  it('stores outcomes as JSON: a replay is a copy the caller cannot alter', async () => {
    const ledger = createMemoryLedger();
    const outcome = { kind: 'ok', nested: { list: [1, 2] } };
    await claimOf(await ledger.claim({ scope: 's', key: 'k', fingerprint: 'fp' })).complete(outcome);
    outcome.nested.list.push(3);

    const first = await ledger.claim({ scope: 's', key: 'k', fingerprint: 'fp' });
    expect(first).toEqual({ state: 'replay', outcome: { kind: 'ok', nested: { list: [1, 2] } } });
    expect(first.state === 'replay' && first.outcome).not.toBe(outcome);
    await ledger.close();
  });

  it('hands a released key to one of several waiters at once, without timers', async () => {
    const ledger = createMemoryLedger({ maxWaitMs: 60_000 });
    const holder = claimOf(await ledger.claim({ scope: 's', key: 'k', fingerprint: 'fp' }));
    const waiters = Array.from({ length: 5 }, () => ledger.claim({ scope: 's', key: 'k', fingerprint: 'fp' }));
    await holder.release();
    const next = await firstClaim(waiters);
    await next.claim.complete({ kind: 'done' });
    const states = (await Promise.all(waiters)).map((result) => result.state).sort();
    expect(states).toEqual(['claimed', 'replay', 'replay', 'replay', 'replay']);
    await ledger.close();
  });

  it('answers a claim that need not wait at once, not as a promise; one that waits as a promise', async () => {
    const ledger = createMemoryLedger({ maxWaitMs: 60_000 });
    const first = ledger.claim({ scope: 's', key: 'k', fingerprint: 'fp' });
    expect(first).not.toBeInstanceOf(Promise);
    expect(ledger.claim({ scope: 's', key: 'k', fingerprint: 'other' })).toEqual({ state: 'conflict' });
    const waiting = ledger.claim({ scope: 's', key: 'k', fingerprint: 'fp' });
    expect(waiting).toBeInstanceOf(Promise);
    await claimOf(await first).complete({ kind: 'done' });
    expect(await waiting).toEqual({ state: 'replay', outcome: { kind: 'done' } });
    expect(ledger.claim({ scope: 's', key: 'k', fingerprint: 'fp' })).toEqual({ state: 'replay', outcome: { kind: 'done' } });
    await ledger.close();
  });

  it('wakes a waiter whose holder completes in the same turn', async () => {
    const ledger = createMemoryLedger({ maxWaitMs: 60_000 });
    const holder = claimOf(await ledger.claim({ scope: 's', key: 'k', fingerprint: 'fp' }));
    const waiting = ledger.claim({ scope: 's', key: 'k', fingerprint: 'fp' });
    const completed = holder.complete({ kind: 'done' });
    expect(await waiting).toEqual({ state: 'replay', outcome: { kind: 'done' } });
    await completed;
    await ledger.close();
  });

  it('is unavailable once closed', async () => {
    const ledger = createMemoryLedger();
    await ledger.close();
    await expect(ledger.claim({ scope: 's', key: 'k', fingerprint: 'fp' })).rejects.toBeInstanceOf(LedgerUnavailableError);
  });
});
