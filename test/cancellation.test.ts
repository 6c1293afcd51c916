/** The gateway's cancellation signal and its helpers (src/cancellation.ts). */
import { describe, expect, it } from 'vitest';
import { Cancellation, onAbort, wait } from '../src/cancellation.js';

describe('Cancellation', () => {
  it('aborts once: aborted turns true, the first reason stays, listeners run once', () => {
    const c = new Cancellation();
    let calls = 0;
    onAbort(c, () => (calls += 1));
    const first = new Error('first');
    c.abort(first);
    c.abort(new Error('second'));
    expect(c.aborted).toBe(true);
    expect(c.reason).toBe(first);
    expect(calls).toBe(1);
    expect(c.listenerCount()).toBe(0);
  });

  it('runs every listener in the order added, even when one throws (the first error is rethrown); removed ones do not run', () => {
    const c = new Cancellation();
    const ran: string[] = [];
    onAbort(c, () => ran.push('a'));
    const stopB = onAbort(c, () => ran.push('b'));
    onAbort(c, () => {
      ran.push('c');
      throw new Error('c failed');
    });
    onAbort(c, () => {
      ran.push('d');
      throw new Error('d failed');
    });
    onAbort(c, () => ran.push('e'));
    stopB();
    expect(() => c.abort('gone')).toThrow('c failed');
    expect(ran).toEqual(['a', 'c', 'd', 'e']);
    expect(c.listenerCount()).toBe(0);
    let late = 0;
    onAbort(c, () => (late += 1))();
    onAbort(c, () => (late += 1));
    c.abort('again');
    expect(late).toBe(0);
  });

  it('takes many listeners without a MaxListenersExceeded warning (one per provider call in flight)', () => {
    const c = new Cancellation();
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const stops = Array.from({ length: 50 }, () => onAbort(c, () => {}));
      expect(c.listenerCount()).toBe(50);
      for (const stop of stops) stop();
      expect(c.listenerCount()).toBe(0);
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
  });
});

interface Subject {
  readonly signal: Cancellation | AbortSignal;
  abort(reason: unknown): void;
  /** Listeners still registered; undefined where the signal cannot tell (AbortSignal). */
  listeners(): number | undefined;
}

function cancellationSubject(): Subject {
  const c = new Cancellation();
  return { signal: c, abort: (reason) => c.abort(reason), listeners: () => c.listenerCount() };
}

function abortSignalSubject(): Subject {
  const c = new AbortController();
  return { signal: c.signal, abort: (reason) => c.abort(reason), listeners: () => undefined };
}

describe.each([
  ['Cancellation', cancellationSubject],
  ['AbortSignal', abortSignalSubject],
])('wait, with a %s', (_name, make) => {
  it('resolves when settled resolves, long before its time', async () => {
    const { signal, listeners } = make();
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const waiting = wait(60_000, signal, settled);
    settle();
    await expect(waiting).resolves.toBeUndefined();
    if (listeners() !== undefined) expect(listeners()).toBe(0);
  });

  it('resolves after its time when nothing else happens', async () => {
    const { signal } = make();
    const started = performance.now();
    await wait(20, signal, new Promise(() => {}));
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
  });

  it('rejects with the reason when the signal aborts, before or during the wait', async () => {
    const during = make();
    const reason = new Error('gone');
    const waiting = wait(60_000, during.signal);
    during.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    if (during.listeners() !== undefined) expect(during.listeners()).toBe(0);

    const before = make();
    before.abort(reason);
    await expect(wait(60_000, before.signal)).rejects.toBe(reason);
  });
});
