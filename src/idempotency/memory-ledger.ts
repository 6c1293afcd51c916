/**
 * The idempotency ledger in memory, for a single process. A request that finds its key held
 * by the same request waits on a promise that the holder's `complete` or `release` settles.
 * Outcomes are stored as JSON text, exactly as the Redis ledger stores them, so every replay
 * gets its own copy and both backends replay the same values; the text is shortened
 * (./outcome-codec.ts) and kept as UTF-8 bytes outside V8's heap (./arena.ts).
 */
import { wait } from '../cancellation.js';
import { createArena, firstOf, secondOf, type ArenaSlot } from './arena.js';
import { decodeOutcomeJson, encodeOutcome } from './outcome-codec.js';
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
 * About 0.5 kB each (the recorded payment's shortened JSON and the fingerprint as bytes, the
 * key and the entry's record in the heap): 20 000 keep the ledger near 10 MB. An evicted key is no
 * longer replayed; sent again, its cancel reaches the provider, which answers that the
 * payment is cancelled already (`alreadyCanceled: true`), so eviction never doubles a cancel.
 * Redis keeps every key for the whole TTL.
 */
export const DEFAULT_MAX_ENTRIES = 20_000;
/**
 * A payment's `metadata` is the provider's, of any size (up to the 1 MiB a provider answer
 * may have): the count alone would not bound the ledger's memory. 32 MiB leave the 20 000
 * typical entries alone and evict the oldest sooner when outcomes are large.
 */
export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;
/** What an entry costs besides its key and bytes: the Map slot, the record, its numbers. */
const ENTRY_OVERHEAD_BYTES = 150;
const SWEEP_INTERVAL_MS = 60_000;

export interface MemoryLedgerOptions extends LedgerOptions {
  /** The clock for claim and outcome expiry (waits are measured in real time). */
  readonly now?: (() => number) | undefined;
  /** At most this many completed entries are kept; the oldest are evicted first. */
  readonly maxEntries?: number | undefined;
  /**
   * Completed entries are also evicted, oldest first, while their size passes this: each
   * one's key length, its fingerprint and shortened outcome JSON in UTF-8 bytes, and a fixed
   * overhead.
   * The newest entry is kept whatever its size.
   */
  readonly maxBytes?: number | undefined;
}

/**
 * A key whose request is running: requests with the same key wait for `settled`. Its promise
 * is made by the first request that waits, if any does: most claims are never waited for.
 */
class Pending {
  #settled: Promise<void> | undefined;
  #resolve: (() => void) | undefined;
  #done = false;

  constructor(readonly fingerprint: string, readonly expiresAt: number) {}

  /** Settled when the entry stops being pending (completed, released or taken over). */
  get settled(): Promise<void> {
    if (this.#settled === undefined) {
      this.#settled = this.#done ? Promise.resolve() : new Promise<void>((resolve) => (this.#resolve = resolve));
    }
    return this.#settled;
  }

  settle(): void {
    this.#done = true;
    this.#resolve?.();
  }
}

/**
 * A recorded outcome: its key, where its fingerprint (first) and outcome JSON (second) are
 * stored, and its expiry. Nothing else, so that 20 000 of them stay small.
 */
interface Done extends ArenaSlot {
  readonly id: string;
  readonly expiresAt: number;
}

/** An entry's share of maxBytes. */
const sizeOf = (entry: Done): number => entry.id.length + entry.end - entry.start + ENTRY_OVERHEAD_BYTES;

/** Dropped from the front of `order` in one go once this many are behind its head. */
const ORDER_COMPACT_AT = 4096;

export function createMemoryLedger(options: MemoryLedgerOptions = {}): IdempotencyLedger {
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? DEFAULT_LEDGER_TTL_MS;
  const claimTtlMs = options.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS;
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  const maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_MAX_ENTRIES);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;

  const arena = createArena();
  const pending = new Map<string, Pending>();
  const done = new Map<string, Done>();
  /**
   * Every entry of `done`, oldest completion first, from `head` on; also entries forgotten
   * since (expired), which eviction skips. Not the Map's own order: a Map keeps a deleted
   * entry's slot until it rehashes, so iterating it from the start to find the oldest walked
   * over up to thousands of holes per cancel (about 14 µs per cancel at 20 000, measured).
   */
  let order: Array<Done | undefined> = [];
  let head = 0;
  /** The sum of the completed entries' sizes. */
  let doneBytes = 0;
  let closed = false;

  function forget(entry: Done): void {
    done.delete(entry.id);
    doneBytes -= sizeOf(entry);
  }

  /** Records a completed claim (its id has no done entry: a claim is only taken when none is live). */
  function record(entry: Done): void {
    done.set(entry.id, entry);
    doneBytes += sizeOf(entry);
    order.push(entry);
    // Every live entry is in order[head..], the newest last: while another is live, the
    // oldest one is found before the newest.
    while ((done.size > maxEntries || doneBytes > maxBytes) && done.size > 1) {
      const oldest = order[head]!;
      order[head++] = undefined;
      if (done.get(oldest.id) === oldest) forget(oldest);
    }
    if (head >= ORDER_COMPACT_AT && head * 2 >= order.length) {
      order = order.slice(head);
      head = 0;
    }
  }

  function removePending(id: string, entry: Pending): void {
    if (pending.get(id) !== entry) return;
    pending.delete(id);
    entry.settle();
  }

  /** The live entry for `id`, removing it first when it has expired. */
  function lookup(id: string): Pending | Done | undefined {
    const at = now();
    const running = pending.get(id);
    if (running) {
      if (at < running.expiresAt) return running;
      removePending(id, running);
      return undefined;
    }
    const recorded = done.get(id);
    if (recorded && at >= recorded.expiresAt) {
      forget(recorded);
      return undefined;
    }
    return recorded;
  }

  function take(id: string, fingerprint: string): ClaimResult {
    const entry = new Pending(fingerprint, now() + claimTtlMs);
    pending.set(id, entry);
    const claim: LedgerClaim = {
      async complete(outcome: RecordedOutcome): Promise<void> {
        // A claim that was presumed abandoned and taken over records nothing.
        if (pending.get(id) !== entry) return;
        pending.delete(id);
        const { chunk, start, split, end } = arena.store(fingerprint, encodeOutcome(outcome));
        // A literal of one shape: built with a spread, each record got a hidden class of its own.
        record({ id, chunk, start, split, end, expiresAt: now() + ttlMs });
        entry.settle();
      },
      async release(): Promise<void> {
        removePending(id, entry);
      },
    };
    return { state: 'claimed', claim };
  }

  function sweep(): void {
    const at = now();
    for (const [id, entry] of pending) if (at >= entry.expiresAt) removePending(id, entry);
    for (const entry of done.values()) if (at >= entry.expiresAt) forget(entry);
    // Forgotten entries leave `order` too, so that they no longer hold their chunks.
    order = order.slice(head).filter((entry) => entry !== undefined && done.get(entry.id) === entry);
    head = 0;
  }
  const sweeper = setInterval(sweep, SWEEP_INTERVAL_MS);
  sweeper.unref();

  const unavailable = () => new LedgerUnavailableError({ cause: new Error('the ledger is closed') });

  /** What a claim of `id` is now, or the running entry it would have to wait for. */
  function claimNow(id: string, fingerprint: string): ClaimResult | Pending {
    const entry = lookup(id);
    if (!entry) return take(id, fingerprint);
    if (!(entry instanceof Pending)) {
      if (firstOf(entry) !== fingerprint) return { state: 'conflict' };
      return { state: 'replay', outcome: JSON.parse(decodeOutcomeJson(secondOf(entry))) as RecordedOutcome };
    }
    if (entry.fingerprint !== fingerprint) return { state: 'conflict' };
    return entry;
  }

  /** Waits for the holder of `id` (up to maxWaitMs in all), looking again each time it may have settled. */
  async function waitFor(id: string, fingerprint: string, holder: Pending, signal: ClaimOptions['signal']): Promise<ClaimResult> {
    const deadline = performance.now() + maxWaitMs;
    let entry = holder;
    for (;;) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) return { state: 'in_progress' };
      // Wake up when the holder settles the entry, when its claim would expire (it may have
      // been abandoned), or when this request's wait is over; then look again.
      await wait(Math.min(remaining, entry.expiresAt - now()), signal, entry.settled);
      if (closed) throw unavailable();
      const found = claimNow(id, fingerprint);
      if (!(found instanceof Pending)) return found;
      entry = found;
    }
  }

  return {
    claim({ scope, key, fingerprint, signal }: ClaimOptions): ClaimResult | Promise<ClaimResult> {
      if (closed) return Promise.reject(unavailable());
      const id = `${scope.length}:${scope}:${key}`;
      const found = claimNow(id, fingerprint);
      return found instanceof Pending ? waitFor(id, fingerprint, found, signal) : found;
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
