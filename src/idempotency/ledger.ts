/**
 * The idempotency ledger (Stripe's model): a cancel with an idempotencyKey records its
 * definitive outcome for a while (24 h by default). The same key again replays the record and
 * sends nothing to the provider; the same key for a different request is a conflict; two
 * requests with the same key at once send one cancel, and both get its outcome.
 *
 * Two backends implement it: in memory (one process) and Redis (several replicas).
 */

import type { CancelSignal } from '../cancellation.js';

/** A recorded outcome, stored as JSON and returned unchanged on replay. */
export type RecordedOutcome = Readonly<Record<string, unknown>>;

export type ClaimResult =
  /** This request holds the key: run the cancel, then `complete` (definitive) or `release` (retryable failure). */
  | { readonly state: 'claimed'; readonly claim: LedgerClaim }
  /** The key has a recorded outcome for the same request. */
  | { readonly state: 'replay'; readonly outcome: RecordedOutcome }
  /** The key is bound to a different request (another payment or other parameters). */
  | { readonly state: 'conflict' }
  /** Another request with this key is still running and did not finish within the wait. */
  | { readonly state: 'in_progress' };

export interface LedgerClaim {
  /**
   * Records the definitive outcome (as JSON) for the ledger's TTL and wakes any waiters. Records
   * nothing when the claim outlived claimTtlMs and another request has taken the key over, and
   * after this claim was already completed or released.
   */
  complete(outcome: RecordedOutcome): Promise<void>;
  /**
   * Forgets the claim (the cancel ended in a retryable failure): the key may be tried again.
   * Does nothing once the claim is completed, released or taken over.
   */
  release(): Promise<void>;
}

export interface ClaimOptions {
  /** Who owns the key: keys are scoped per caller. */
  readonly scope: string;
  readonly key: string;
  /** Identifies the request the key is bound to (payment and parameters). */
  readonly fingerprint: string;
  /**
   * Stop waiting for another holder of the key (the caller went away): `claim` then rejects
   * with the signal's reason. It only cuts a wait short; a free key is claimed regardless.
   */
  readonly signal?: CancelSignal | undefined;
}

export interface IdempotencyLedger {
  /**
   * Claims `key` in `scope` for `fingerprint`. When another request holds the key with the
   * same fingerprint, waits (up to the ledger's wait limit) for it to complete or release.
   * Throws LedgerUnavailableError when the backing store cannot be reached. The in-memory
   * ledger returns the result itself when it need not wait (a cancel awaits it only when it
   * is a promise: awaiting a value still costs a turn of the microtask queue).
   */
  claim(options: ClaimOptions): ClaimResult | Promise<ClaimResult>;
  /** Whether the backing store answers now (for readiness checks). */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}

export interface LedgerOptions {
  /** How long a completed outcome is kept. Default 24 h. */
  readonly ttlMs?: number | undefined;
  /**
   * How long a claim may be held before it is presumed abandoned (a crashed process): longer
   * than any cancel can take, provider deadline and retries included.
   */
  readonly claimTtlMs?: number | undefined;
  /** How long a second request waits for the holder of its key. */
  readonly maxWaitMs?: number | undefined;
}

export const DEFAULT_LEDGER_TTL_MS = 24 * 60 * 60 * 1000;

/** The backing store (Redis) cannot be reached: a keyed cancel must not proceed. */
export class LedgerUnavailableError extends Error {
  override readonly name = 'LedgerUnavailableError';
  constructor(options?: { cause?: unknown }) {
    super('The idempotency ledger is unavailable.', options);
  }
}
