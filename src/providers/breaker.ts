/**
 * A provider's circuit breaker, counting consecutive failed calls.
 *
 * - Closed: calls run. A failed call (an error `isFailedError` accepts, or an answer
 *   `isFailedResult` accepts) adds one to the count, any other answer resets it; at
 *   `threshold` the breaker opens. An error that is not a failure (a caller who went away)
 *   changes nothing.
 * - Open: calls fail at once with BreakerOpenError, until `halfOpenAfterMs` have passed since
 *   it opened (by Date.now()). Then the next call is a probe.
 * - Half-open: while the probe runs, other calls wait for its end, then go on as the breaker
 *   then says (run when it closed, fail at once when it opened again). A probe that fails
 *   opens the breaker for another `halfOpenAfterMs`; any other end closes it, the count reset.
 *
 * These are the semantics the transport had from cockatiel's `circuitBreaker` with a
 * `ConsecutiveBreaker` and a constant `halfOpenAfter` (there, a probe ending in an error
 * that is not a failure closed the breaker but kept the old count). cockatiel ran every call
 * through two async functions (`execute`, then its executor's `invoke`) and wrapped each
 * answer in an object of its own, on every read and cancel. Here a closed breaker adds one
 * `then` to the call's own promise.
 */

export type BreakerState = 'closed' | 'open' | 'half-open';

/** The breaker is open: the call was not made. */
export class BreakerOpenError extends Error {
  override readonly name = 'BreakerOpenError';
  constructor() {
    super('circuit breaker open');
  }
}

export interface BreakerOptions<T> {
  /** Consecutive failed calls that open the breaker. */
  readonly threshold: number;
  readonly halfOpenAfterMs: number;
  /** Whether a call that threw this failed (true) or ended otherwise (false). */
  readonly isFailedError: (error: unknown) => boolean;
  /** Whether a call that answered this failed. */
  readonly isFailedResult: (result: T) => boolean;
  readonly onBreak?: () => void;
  readonly onHalfOpen?: () => void;
  readonly onReset?: () => void;
}

export class CircuitBreaker<T> {
  #state: BreakerState = 'closed';
  #failures = 0;
  #openedAt = 0;
  /** The probe in flight (half-open), settled either way. */
  #probe: Promise<void> | undefined;

  constructor(private readonly options: BreakerOptions<T>) {}

  get state(): BreakerState {
    return this.#state;
  }

  execute(call: () => Promise<T>): Promise<T> {
    switch (this.#state) {
      case 'closed':
        return start(call).then(this.#closedAnswer, this.#closedError);
      case 'half-open': {
        const again = () => this.execute(call);
        return this.#probe!.then(again);
      }
      case 'open':
        if (Date.now() - this.#openedAt < this.options.halfOpenAfterMs) return Promise.reject(new BreakerOpenError());
        return this.#runProbe(call);
    }
  }

  readonly #closedAnswer = (result: T): T => {
    if (this.options.isFailedResult(result)) this.#failed();
    else this.#failures = 0;
    return result;
  };

  readonly #closedError = (error: unknown): never => {
    if (this.options.isFailedError(error)) this.#failed();
    throw error;
  };

  #failed(): void {
    this.#failures += 1;
    if (this.#failures >= this.options.threshold) this.#open();
  }

  #runProbe(call: () => Promise<T>): Promise<T> {
    this.#state = 'half-open';
    this.options.onHalfOpen?.();
    const probe = start(call).then(
      (result) => {
        if (this.options.isFailedResult(result)) this.#open();
        else this.#close();
        return result;
      },
      (error: unknown) => {
        if (this.options.isFailedError(error)) this.#open();
        else this.#close();
        throw error;
      },
    );
    this.#probe = probe.then(ignore, ignore);
    return probe;
  }

  #open(): void {
    if (this.#state === 'open') return;
    this.#state = 'open';
    this.#openedAt = Date.now();
    this.#probe = undefined;
    this.options.onBreak?.();
  }

  #close(): void {
    if (this.#state !== 'half-open') return;
    this.#state = 'closed';
    this.#failures = 0;
    this.#probe = undefined;
    this.options.onReset?.();
  }
}

/** The call's promise; one that throws instead of returning one is a rejection. */
function start<T>(call: () => Promise<T>): Promise<T> {
  try {
    return call();
  } catch (error) {
    return Promise.reject(error);
  }
}

function ignore(): void {}
