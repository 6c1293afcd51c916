/**
 * Runs a cancel under its idempotency key (Stripe's model, the same for every provider):
 * the first request with a key runs and, when its outcome is definitive, records it; the
 * same key again replays the record without calling the provider; the same key for another
 * request is a conflict. Retryable failures are not recorded, so the key may try again.
 */
import { hash } from 'node:crypto';
import type { Logger } from 'pino';
import { jsonString } from '../domain/json.js';
import type { PaymentRef } from '../domain/payment.js';
import { LedgerUnavailableError, type IdempotencyLedger, type RecordedOutcome } from '../idempotency/ledger.js';
import { isDefinitive, type CancelOutcome } from './outcomes.js';
import type { CancelSignal } from '../cancellation.js';
import type { AfterAnswer } from './service.js';

/**
 * What a key is bound to: the payment and every parameter that changes the request. The
 * SHA-256 of `JSON.stringify(['cancelPayment', provider, providerPaymentId, reason])`, that
 * text written directly (a ledger in Redis holds fingerprints across releases: the text
 * must not change).
 */
export function cancelFingerprint(ref: PaymentRef, reason: string | null): string {
  const text = `["cancelPayment",${jsonString(ref.provider)},${jsonString(ref.providerPaymentId)},${reason === null ? 'null' : jsonString(reason)}]`;
  return hash('sha256', text, 'hex');
}

const REPLAYABLE = new Set<string>(['CancelPaymentSuccess', 'PaymentNotFound', 'PaymentNotCancellable', 'InvalidInput']);

function toOutcome(recorded: RecordedOutcome): CancelOutcome {
  if (typeof recorded['kind'] !== 'string' || !REPLAYABLE.has(recorded['kind'])) {
    throw new LedgerUnavailableError({ cause: new Error('the ledger holds an unreadable record') });
  }
  return recorded as unknown as CancelOutcome;
}

export interface IdempotentCancel {
  readonly ledger: IdempotencyLedger;
  readonly scope: string;
  readonly key: string;
  readonly fingerprint: string;
  readonly signal?: CancelSignal | undefined;
  readonly logger: Logger;
  /** Where the outcome is recorded from: after the answer, on the lean path. */
  readonly afterAnswer: AfterAnswer;
}

/** Throws LedgerUnavailableError when the ledger cannot be reached: a keyed cancel never runs unrecorded. */
export async function cancelIdempotently(options: IdempotentCancel, execute: () => Promise<CancelOutcome>): Promise<CancelOutcome> {
  const { ledger, scope, key, fingerprint, signal, logger, afterAnswer } = options;
  const claiming = ledger.claim({ scope, key, fingerprint, signal });
  const claimed = claiming instanceof Promise ? await claiming : claiming;
  switch (claimed.state) {
    case 'replay':
      return toOutcome(claimed.outcome);
    case 'conflict':
      return {
        kind: 'IdempotencyKeyConflict',
        message: 'This idempotencyKey was already used for a different request. Use a new key.',
        idempotencyKey: key,
        retryable: false,
      };
    case 'in_progress':
      return {
        kind: 'IdempotencyKeyConflict',
        message: 'A request with this idempotencyKey is still in progress. Retry later to get its outcome.',
        idempotencyKey: key,
        retryable: true,
      };
    case 'claimed':
      break;
  }

  let outcome: CancelOutcome;
  try {
    outcome = await execute();
  } catch (error) {
    await claimed.claim.release().catch((releaseError: unknown) => logger.error({ err: releaseError }, 'could not release an idempotency key'));
    throw error;
  }
  // The cancel has happened: its outcome is returned even when it cannot be recorded. The
  // claim then expires by itself, and a retry with the key resolves to alreadyCanceled: true
  // at the provider. Until it is recorded, the key stays claimed: a retry waits for the record.
  const recordFailed = (error: unknown) => logger.error({ err: error, outcome: outcome.kind }, 'could not record an idempotency key outcome');
  if (isDefinitive(outcome)) {
    // Awaited only when it is a promise (not on the lean path): see cancelPayment in service.ts.
    const recorded = afterAnswer(() => claimed.claim.complete(outcome as unknown as RecordedOutcome).catch(recordFailed));
    if (recorded instanceof Promise) await recorded;
  } else {
    await claimed.claim.release().catch(recordFailed);
  }
  return outcome;
}
