/**
 * The signal a GraphQL request hands down to its provider calls and idempotency waits, so
 * that they stop when the caller goes away or a deadline passes.
 *
 * Not an AbortController: an AbortSignal is an EventTarget, and one controller with the
 * listeners a request adds to it (its provider call's own, undici's) cost about 5 µs here,
 * against 0.2 µs for an EventEmitter (a request made two of them: README, Performance).
 * undici takes an EventEmitter as a request's `signal` (its documented
 * `AbortSignal | EventEmitter`); everything else here listens through `onAbort`, which also
 * accepts a real AbortSignal (tests, and any caller that has one).
 */
import { EventEmitter } from 'node:events';

export class Cancellation extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;

  constructor() {
    super();
    // One listener per provider call in flight: payments(ids:) may have many at once.
    this.setMaxListeners(0);
  }

  /** Aborts once (later calls do nothing): `aborted` turns true and listeners run. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }
}

export type CancelSignal = AbortSignal | Cancellation;

/** Calls `listener` once when `signal` aborts (not when it already has); returns what removes it. */
export function onAbort(signal: CancelSignal, listener: () => void): () => void {
  if (signal instanceof Cancellation) {
    signal.once('abort', listener);
    return () => signal.removeListener('abort', listener);
  }
  signal.addEventListener('abort', listener, { once: true });
  return () => signal.removeEventListener('abort', listener);
}

/**
 * Resolves after `ms`, or sooner when `settled` (if any) resolves; rejects with the signal's
 * reason when it aborts first.
 */
export function wait(ms: number, signal: CancelSignal | undefined, settled?: Promise<unknown>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let done = false;
    const finish = (): void => {
      done = true;
      clearTimeout(timer);
      stopListening?.();
    };
    const timer = setTimeout(() => {
      finish();
      resolve();
    }, Math.max(0, ms));
    const stopListening = signal
      ? onAbort(signal, () => {
          finish();
          reject(signal.reason);
        })
      : undefined;
    void settled?.then(() => {
      if (done) return;
      finish();
      resolve();
    });
  });
}
