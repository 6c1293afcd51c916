/**
 * The transport every provider client uses: one keep-alive undici Pool per provider origin,
 * explicit connect/headers/body timeouts, a total deadline per call covering every attempt,
 * retries where retry-policy.ts allows them, a circuit breaker and a bulkhead per provider,
 * a cap on response size, and one place where transport failures become
 * ProviderUnavailableError.
 */
import type { Logger } from 'pino';
import { Pool, errors as undiciErrors, type Dispatcher } from 'undici';
import { Cancellation, onAbort, wait, type CancelSignal } from '../cancellation.js';
import type { PaymentProviderName } from '../domain/payment.js';
import { BreakerOpenError, CircuitBreaker, type BreakerState } from './breaker.js';
import { DeadlineQueue } from './deadlines.js';
import { ProviderUnavailableError, type ProviderFailure } from './errors.js';
import { isRetryable, parseRetryAfter, retryDelayMs, type AttemptOutcome, type RetryRule } from './retry-policy.js';

export interface ProviderTimeouts {
  /** TCP + TLS connect. */
  readonly connectMs: number;
  /** From request sent to response headers received. */
  readonly headersMs: number;
  /** Longest pause between two body chunks. */
  readonly bodyMs: number;
  /** The whole call, every attempt and wait between them included. */
  readonly deadlineMs: number;
}

export const DEFAULT_TIMEOUTS: ProviderTimeouts = {
  connectMs: 2_000,
  headersMs: 5_000,
  bodyMs: 5_000,
  deadlineMs: 8_000,
};

export interface ResilienceOptions {
  /** Attempts per call at most (the first included). */
  readonly maxAttempts: number;
  /** Consecutive failed calls (5xx, timeouts, connection errors, after retries) that open the breaker. */
  readonly breakerThreshold: number;
  /** How long the breaker stays open before one probe call may test the provider. */
  readonly breakerHalfOpenAfterMs: number;
  /** Calls in flight per provider; more wait in a queue of `bulkheadQueue`, then are refused. */
  readonly bulkheadLimit: number;
  readonly bulkheadQueue: number;
}

export const DEFAULT_RESILIENCE: ResilienceOptions = {
  maxAttempts: 3,
  breakerThreshold: 5,
  breakerHalfOpenAfterMs: 5_000,
  bulkheadLimit: 64,
  bulkheadQueue: 256,
};

export interface ProviderHttpOptions {
  readonly provider: PaymentProviderName;
  /** Origin plus an optional base path, e.g. https://api.example.com or http://127.0.0.1:4010/prefix */
  readonly baseUrl: URL;
  readonly logger: Logger;
  readonly timeouts?: ProviderTimeouts | undefined;
  readonly resilience?: Partial<ResilienceOptions> | undefined;
  readonly maxResponseBytes?: number | undefined;
  /** Source of jitter; tests may fix it. */
  readonly random?: (() => number) | undefined;
  /** Told of every attempt's outcome and duration (metrics). */
  readonly onAttempt?: ((event: { method: string; outcome: string; seconds: number }) => void) | undefined;
}

export interface ProviderHttpRequest {
  readonly method: 'GET' | 'POST';
  /** Path below the base URL, starting with `/`, already percent-encoded. */
  readonly path: string;
  readonly body?: string | undefined;
  /** Called right before each attempt, so that signatures and timestamps are fresh. */
  readonly headers: (body: string) => Record<string, string>;
  /** Which failures may be retried (retry-policy.ts). */
  readonly retry: RetryRule;
  readonly signal?: CancelSignal | undefined;
}

export interface ProviderHttpResponse {
  readonly status: number;
  /** The body as text; the caller parses it. */
  readonly body: string;
  /** The provider's request id, when its response carried one. */
  readonly requestId: string | undefined;
  readonly retryAfter: string | undefined;
  /** Attempts this call took. */
  readonly attempts: number;
}

export interface ProviderHttp {
  send(request: ProviderHttpRequest): Promise<ProviderHttpResponse>;
  breakerState(): BreakerState;
  close(): Promise<void>;
}

const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

/** Whether a call's total deadline has passed. */
interface Deadline {
  aborted: boolean;
}

/** An attempt that got no usable HTTP answer. */
class TransportFailure extends Error {
  constructor(readonly failure: 'timeout' | 'connection' | 'unreadable_response', readonly sent: boolean, options?: { cause?: unknown }) {
    super(failure, options);
  }
}

type Attempt = Omit<ProviderHttpResponse, 'attempts'>;

export function createProviderHttp(options: ProviderHttpOptions): ProviderHttp {
  const timeouts = options.timeouts ?? DEFAULT_TIMEOUTS;
  const resilience = { ...DEFAULT_RESILIENCE, ...options.resilience };
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const random = options.random ?? Math.random;
  const basePath = options.baseUrl.pathname.replace(/\/+$/, '');
  const log = options.logger;
  const pool = new Pool(options.baseUrl.origin, {
    connections: resilience.bulkheadLimit,
    connect: { timeout: timeouts.connectMs },
    // A per-attempt timeout no shorter than the call's deadline can never fire first (the
    // deadline's timer starts before any attempt), so undici is given none: with one it keeps
    // a timer object per request until its next half-second tick, which outlives two young
    // collections under load and fills the old generation with garbage.
    headersTimeout: timeouts.headersMs < timeouts.deadlineMs ? timeouts.headersMs : 0,
    bodyTimeout: timeouts.bodyMs < timeouts.deadlineMs ? timeouts.bodyMs : 0,
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
    // A larger answer fails the attempt (ResponseExceededMaxSizeError) as it arrives.
    maxResponseSize: maxBytes,
  });
  // The breaker counts calls that ended in a transport failure or a 5xx answer (after their
  // retries); 4xx answers count as successes.
  const breaker = new CircuitBreaker<ProviderHttpResponse>({
    threshold: resilience.breakerThreshold,
    halfOpenAfterMs: resilience.breakerHalfOpenAfterMs,
    isFailedError: (error) => error instanceof TransportFailure,
    isFailedResult: (result) => result.status >= 500,
    onBreak: () => log.error({ breaker: 'open' }, 'provider circuit breaker opened: failing fast'),
    onHalfOpen: () => log.warn({ breaker: 'half-open' }, 'provider circuit breaker half-open: probing'),
    onReset: () => log.info({ breaker: 'closed' }, 'provider circuit breaker closed'),
  });
  const calls = new Bulkhead(resilience.bulkheadLimit, resilience.bulkheadQueue);
  const deadlines = new DeadlineQueue(timeouts.deadlineMs);
  /** Tells the observer (metrics) of an attempt or a refused call; one that throws is logged, never the call's failure. */
  const report = (method: string, outcome: string, seconds: number): void => {
    try {
      options.onAttempt?.({ method, outcome, seconds });
    } catch (error) {
      log.error({ err: error }, 'provider call observer failed');
    }
  };

  /**
   * One attempt: the request through the pool, its answer read whole. Undici's lower-level
   * `dispatch` with a handler of our own, not `pool.request`: that one wraps every answer in
   * a Readable stream (and parses all its headers twice) only for us to read it whole, about
   * a tenth of a read's CPU here (README, Performance).
   */
  function attemptOnce(request: ProviderHttpRequest, signal: Cancellation, deadline: Deadline): Promise<Attempt> {
    const started = performance.now();
    const body = request.body ?? '';
    return new Promise<Attempt>((resolve, reject) => {
      // The attempt settles first, then is reported.
      const observe = (outcome: string) => report(request.method, outcome, (performance.now() - started) / 1000);
      const exchange = new Exchange(signal, (attempt) => {
        resolve(attempt);
        observe(`${Math.floor(attempt.status / 100)}xx`);
      }, (error, sent) => {
        let failure: unknown = error;
        // A caller who went away says nothing about the provider: not a breaker failure.
        if (!request.signal?.aborted) {
          failure = deadline.aborted
            ? new TransportFailure('timeout', true, { cause: error })
            : new TransportFailure(classifyTransportError(error), sent || !neverSent(error), { cause: error });
        }
        reject(failure);
        observe(failure instanceof TransportFailure ? failure.failure : 'canceled_by_caller');
      });
      // A call whose deadline passed, or whose caller left, while it waited is not sent (nor
      // does its abort cost a good keep-alive connection).
      if (signal.aborted) {
        exchange.onError(signal.reason as Error);
        return;
      }
      let headers: Record<string, string>;
      try {
        headers = request.headers(body);
      } catch (error) {
        exchange.finish();
        reject(error);
        return;
      }
      pool.dispatch({ origin: options.baseUrl.origin, method: request.method, path: basePath + request.path, headers, body: body === '' ? null : body }, exchange);
    });
  }

  /**
   * One call: its attempts, with the waits between them. Throws the last TransportFailure when
   * no attempt got an answer; a wait cut short by the deadline is a timeout.
   */
  async function sendWithRetries(request: ProviderHttpRequest, signal: Cancellation, deadline: Deadline, startedAt: number): Promise<ProviderHttpResponse> {
    for (let attempt = 1; ; attempt += 1) {
      let outcome: AttemptOutcome;
      let result: Attempt | undefined;
      let lastError: TransportFailure | undefined;
      try {
        result = await attemptOnce(request, signal, deadline);
        outcome = { kind: 'response', status: result.status };
      } catch (error) {
        if (!(error instanceof TransportFailure) || deadline.aborted || request.signal?.aborted) throw error;
        lastError = error;
        outcome = { kind: 'transport', failure: error.failure, sent: error.sent };
      }

      const done = () => {
        if (result) return { status: result.status, body: result.body, requestId: result.requestId, retryAfter: result.retryAfter, attempts: attempt };
        throw lastError!;
      };
      if (attempt >= resilience.maxAttempts || !isRetryable(request.retry, outcome)) return done();
      const retryAfterMs = result ? parseRetryAfter(result.retryAfter, Date.now()) : undefined;
      const pause = retryDelayMs(attempt, retryAfterMs, random);
      if (pause >= timeouts.deadlineMs - (Date.now() - startedAt)) return done();
      log.info({ attempt, wait: pause, ...(result ? { httpStatus: result.status } : { failure: lastError!.failure }) }, 'retrying provider call');
      try {
        await wait(pause, signal);
      } catch (error) {
        if (deadline.aborted) throw new TransportFailure('timeout', true, { cause: error });
        throw error;
      }
    }
  }

  async function send(request: ProviderHttpRequest): Promise<ProviderHttpResponse> {
    // One cancellation per call (src/cancellation.ts), aborted by the deadline or by the
    // caller leaving; its deadline is cleared as soon as the call ends (deadlines.ts).
    const signal = new Cancellation();
    const deadline: Deadline = { aborted: false };
    const due = deadlines.start(() => {
      deadline.aborted = true;
      signal.abort(new Error('provider call deadline'));
    });
    const caller: CancelSignal | undefined = request.signal;
    const callerLeft = () => signal.abort(caller?.reason);
    let stopListening: (() => void) | undefined;
    if (caller?.aborted) callerLeft();
    else if (caller) stopListening = onAbort(caller, callerLeft);
    const startedAt = Date.now();
    const fail = (failure: ProviderFailure) => new ProviderUnavailableError(options.provider, failure);
    try {
      // The breaker and the bulkhead see whole calls: a call retried three times during an
      // outage is one failure, so a handful of failed calls (not of attempts) opens it.
      return await breaker.execute(() => calls.run(() => sendWithRetries(request, signal, deadline, startedAt), signal));
    } catch (error) {
      if (deadline.aborted) throw fail('timeout');
      if (request.signal?.aborted) throw fail('canceled_by_caller');
      if (error instanceof BreakerOpenError) {
        report(request.method, 'circuit_open', 0);
        throw fail('circuit_open');
      }
      if (error === OVERLOADED) {
        report(request.method, 'overloaded', 0);
        throw fail('overloaded');
      }
      if (error instanceof TransportFailure) throw fail(error.failure);
      throw error;
    } finally {
      deadlines.clear(due);
      stopListening?.();
    }
  }

  return {
    send,
    breakerState: () => breaker.state,
    close: () => pool.close(),
  };
}

/** Thrown by a full bulkhead: the call never started. */
const OVERLOADED = new Error('bulkhead full');

/**
 * At most `limit` calls at once; up to `queueLimit` more wait their turn, in order; beyond
 * that a call is refused (OVERLOADED) without starting. cockatiel's bulkhead did the same,
 * wrapped with its breaker, through two async layers and an object spread per call; this one
 * adds a single promise. A finishing call hands its slot straight to the next in the queue.
 */
class Bulkhead {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly release = (): void => {
    const next = this.waiting.shift();
    if (next) next();
    else this.active -= 1;
  };

  constructor(private readonly limit: number, private readonly queueLimit: number) {}

  /** A call waiting in the queue leaves it, refused with the signal's reason, when `signal` aborts. */
  run<T>(call: () => Promise<T>, signal: Cancellation): Promise<T> {
    if (this.active < this.limit) {
      this.active += 1;
      return this.guarded(call);
    }
    if (this.waiting.length >= this.queueLimit) return Promise.reject(OVERLOADED);
    return new Promise<void>((resolve, reject) => {
      const turn = (): void => {
        stopListening();
        resolve();
      };
      const stopListening = onAbort(signal, () => {
        this.waiting.splice(this.waiting.indexOf(turn), 1);
        reject(signal.reason);
      });
      this.waiting.push(turn);
    }).then(() => this.guarded(call));
  }

  private guarded<T>(call: () => Promise<T>): Promise<T> {
    let running: Promise<T>;
    try {
      running = call();
    } catch (error) {
      this.release();
      return Promise.reject(error);
    }
    return running.then(
      (value) => {
        this.release();
        return value;
      },
      (error: unknown) => {
        this.release();
        throw error;
      },
    );
  }
}

const BOM = 0xfeff;

/**
 * Undici's handler for one attempt (its `dispatch` interface): keeps the status, the two
 * headers the gateway reads and the body's bytes, and settles once. Aborted through
 * `signal` (the call's deadline or the caller leaving) at any point, queued or answering.
 */
class Exchange implements Dispatcher.DispatchHandler {
  private status = 0;
  private requestId: string | undefined;
  private retryAfter: string | undefined;
  private readonly chunks: Buffer[] = [];
  private bytes = 0;
  private settled = false;
  private abort: ((reason?: Error) => void) | undefined;
  private readonly stopListening: () => void;

  constructor(
    private readonly signal: Cancellation,
    private readonly onAnswer: (attempt: Attempt) => void,
    private readonly onFailure: (error: unknown, sent: boolean) => void,
  ) {
    this.stopListening = signal.aborted ? noop : onAbort(signal, () => this.abort?.(signal.reason as Error));
  }

  /** No more events matter (settled, or never dispatched). */
  finish(): void {
    this.settled = true;
    this.stopListening();
  }

  onConnect(abort: (reason?: Error) => void): void {
    if (this.signal.aborted) abort(this.signal.reason as Error);
    else this.abort = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], _resume: () => void, _statusText: string): boolean {
    // 1xx informational answers come before the real one.
    if (statusCode < 200) return true;
    this.status = statusCode;
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
      const name = rawHeaders[i]!;
      if (name.length === 12 && this.requestId === undefined && name.toString('latin1').toLowerCase() === 'x-request-id') this.requestId = rawHeaders[i + 1]!.toString('latin1');
      else if (name.length === 11 && this.retryAfter === undefined && name.toString('latin1').toLowerCase() === 'retry-after') this.retryAfter = rawHeaders[i + 1]!.toString('latin1');
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    return true;
  }

  onComplete(_trailers: string[] | null): void {
    if (this.settled) return;
    this.finish();
    let text: string;
    try {
      const bytes = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.bytes);
      text = bytes.toString('utf8');
    } catch (error) {
      this.onFailure(error, true);
      return;
    }
    // As undici's body.text(): a leading byte order mark is not part of the text.
    if (text.charCodeAt(0) === BOM) text = text.slice(1);
    this.onAnswer({ status: this.status, body: text, requestId: this.requestId, retryAfter: this.retryAfter });
  }

  onError(error: Error): void {
    if (this.settled) return;
    this.finish();
    this.onFailure(error, this.status !== 0);
  }
}

function noop(): void {}

/** Errors that happen before a connection exists: the request cannot have reached the provider. */
function neverSent(error: unknown): boolean {
  if (error instanceof undiciErrors.ConnectTimeoutError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH';
}

function classifyTransportError(error: unknown): 'timeout' | 'connection' | 'unreadable_response' {
  if (
    error instanceof undiciErrors.ConnectTimeoutError ||
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError
  ) {
    return 'timeout';
  }
  if (
    error instanceof undiciErrors.ResponseExceededMaxSizeError ||
    error instanceof undiciErrors.ResponseContentLengthMismatchError ||
    error instanceof undiciErrors.HTTPParserError ||
    error instanceof undiciErrors.HeadersOverflowError
  ) {
    return 'unreadable_response';
  }
  // Socket errors, refused or reset connections, DNS failures.
  return 'connection';
}
