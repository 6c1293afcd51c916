/**
 * The signal a GraphQL request hands down to its provider calls and idempotency waits, so
 * that they stop when the caller goes away or a deadline passes.
 *
 * Not an AbortController: an AbortSignal is an EventTarget, and one controller with the
 * listeners a request adds to it cost about 5 µs here (README, Performance). Nor any longer an
 * EventEmitter: a request makes two (its own, its provider call's), and each listener added
 * with `once` and removed again cost an emitter's bookkeeping and a wrapper per listener; a
 * list of listeners does what is needed. Everything listens through `onAbort`, which also
 * accepts a real AbortSignal (tests, and any caller that has one).
 */
export class Cancellation {
  aborted = false;
  reason: unknown = undefined;
  #listeners: Array<() => void> | null = null;

  /** Aborts once (later calls do nothing): `aborted` turns true and listeners run, in the order added. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.#listeners;
    this.#listeners = null;
    if (listeners !== null) callEach(listeners);
  }

  /** Calls `listener` once when this aborts; returns what removes it. Use `onAbort`. */
  listen(listener: () => void): () => void {
    if (this.aborted) return noop;
    (this.#listeners ??= []).push(listener);
    return () => {
      const listeners = this.#listeners;
      const at = listeners === null ? -1 : listeners.lastIndexOf(listener);
      if (at >= 0) listeners!.splice(at, 1);
    };
  }

  /** Listeners waiting for the abort. */
  listenerCount(): number {
    return this.#listeners?.length ?? 0;
  }
}

function noop(): void {}

/** Calls each function in order; one that throws does not keep the others from running, and the first error is rethrown. */
export function callEach(calls: readonly (() => void)[]): void {
  let failure: { readonly error: unknown } | undefined;
  for (const call of calls) {
    try {
      call();
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure) throw failure.error;
}

export type CancelSignal = AbortSignal | Cancellation;

/** Calls `listener` once when `signal` aborts (not when it already has); returns what removes it. */
export function onAbort(signal: CancelSignal, listener: () => void): () => void {
  if (signal instanceof Cancellation) return signal.listen(listener);
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
