/**
 * The idempotency ledger in memory, for a single process. A request that finds its key held
 * by the same request waits on a promise that the holder's `complete` or `release` settles.
 * Outcomes are stored as JSON text, exactly as the Redis ledger stores them, so every replay
 * gets its own copy and both backends replay the same values.
 */
import {
  DEFAULT_LEDGER_TTL_MS,
  LedgerUnavailableError,
  type ClaimOptions,
  type ClaimResult,
  type IdempotencyLedger,
  type LedgerClaim,
  type LedgerOptions,
  type RecordedOutcome,
} from './ledger.js';

export const DEFAULT_CLAIM_TTL_MS = 30_000;
export const DEFAULT_MAX_WAIT_MS = 10_000;
/**
 * About 1.3 kB each (the recorded payment as JSON, the key, the fingerprint): 20 000 keep the
 * ledger near 26 MB. An evicted key is no longer replayed; sent again, its cancel reaches the
 * provider, which answers that the payment is cancelled already (`alreadyCanceled: true`), so
 * eviction never doubles a cancel. Redis keeps every key for the whole TTL.
 */
export const DEFAULT_MAX_ENTRIES = 20_000;
const SWEEP_INTERVAL_MS = 60_000;

export interface MemoryLedgerOptions extends LedgerOptions {
  /** The clock for claim and outcome expiry (waits are measured in real time). */
  readonly now?: (() => number) | undefined;
  /** At most this many completed entries are kept; the oldest are evicted first. */
  readonly maxEntries?: number | undefined;
}

interface Entry {
  readonly fingerprint: string;
  state: 'pending' | 'done';
  /** The recorded outcome as JSON (done entries). */
  outcome?: string;
  expiresAt: number;
  /** Settled when the entry stops being pending (completed, released or taken over). */
  readonly settled: Promise<void>;
  readonly settle: () => void;
}

export function createMemoryLedger(options: MemoryLedgerOptions = {}): IdempotencyLedger {
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? DEFAULT_LEDGER_TTL_MS;
  const claimTtlMs = options.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS;
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  const maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_MAX_ENTRIES);

  const entries = new Map<string, Entry>();
  /** The ids of completed entries, oldest completion first. */
  const completed = new Set<string>();
  let closed = false;

  function remove(id: string, entry: Entry): void {
    if (entries.get(id) !== entry) return;
    entries.delete(id);
    completed.delete(id);
    entry.settle();
  }

  /** The live entry for `id`, removing it first when it has expired. */
  function lookup(id: string): Entry | undefined {
    const entry = entries.get(id);
    if (entry && now() >= entry.expiresAt) {
      remove(id, entry);
      return undefined;
    }
    return entry;
  }

  function take(id: string, fingerprint: string): ClaimResult {
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const entry: Entry = { fingerprint, state: 'pending', expiresAt: now() + claimTtlMs, settled, settle };
    entries.set(id, entry);
    const claim: LedgerClaim = {
      async complete(outcome: RecordedOutcome): Promise<void> {
        // A claim that was presumed abandoned and taken over records nothing.
        if (entries.get(id) !== entry || entry.state !== 'pending') return;
        entry.state = 'done';
        entry.outcome = JSON.stringify(outcome);
        entry.expiresAt = now() + ttlMs;
        completed.add(id);
        for (const oldest of completed) {
          if (completed.size <= maxEntries) break;
          const evicted = entries.get(oldest);
          if (evicted) remove(oldest, evicted);
          else completed.delete(oldest);
        }
        entry.settle();
      },
      async release(): Promise<void> {
        if (entry.state === 'pending') remove(id, entry);
      },
    };
    return { state: 'claimed', claim };
  }

  function sweep(): void {
    const at = now();
    for (const [id, entry] of entries) if (at >= entry.expiresAt) remove(id, entry);
  }
  const sweeper = setInterval(sweep, SWEEP_INTERVAL_MS);
  sweeper.unref();

  return {
    async claim({ scope, key, fingerprint, signal }: ClaimOptions): Promise<ClaimResult> {
      const id = `${scope.length}:${scope}:${key}`;
      const deadline = performance.now() + maxWaitMs;
      for (;;) {
        if (closed) throw new LedgerUnavailableError({ cause: new Error('the ledger is closed') });
        const entry = lookup(id);
        if (!entry) return take(id, fingerprint);
        if (entry.fingerprint !== fingerprint) return { state: 'conflict' };
        if (entry.state === 'done') return { state: 'replay', outcome: JSON.parse(entry.outcome ?? '{}') as RecordedOutcome };
        const remaining = deadline - performance.now();
        if (remaining <= 0) return { state: 'in_progress' };
        // Wake up when the holder settles the entry, when its claim would expire (it may have
        // been abandoned), or when this request's wait is over; then look again.
        await waitFor(entry.settled, Math.min(remaining, entry.expiresAt - now()), signal);
      }
    },
    async healthy(): Promise<boolean> {
      return !closed;
    },
    async close(): Promise<void> {
      closed = true;
      clearInterval(sweeper);
    },
  };
}

/** Resolves when `settled` does or after `ms`; rejects with the signal's reason on abort. */
function waitFor(settled: Promise<void>, ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const finish = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = (): void => {
      finish();
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      finish();
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
    void settled.then(() => {
      finish();
      resolve();
    });
  });
}
