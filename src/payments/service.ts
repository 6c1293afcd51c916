/**
 * The payments service: routing to the provider, the cancel semantics of DESIGN §1 (decided
 * here once, for every provider), and the per-request payment loader.
 */
import type { Logger } from 'pino';
import { decodeGlobalId, isValidProviderPaymentId } from '../domain/global-id.js';
import type { Payment, PaymentProviderName, PaymentRef } from '../domain/payment.js';
import { ProviderUnavailableError } from '../providers/errors.js';
import type { ProviderRegistry } from '../providers/registry.js';
import { LedgerUnavailableError, type IdempotencyLedger } from '../idempotency/ledger.js';
import type { RateLimiter } from '../rate-limit/index.js';
import { auditLogger, cancelAuditRecord, writeAudit, type CancelAuditRecord } from './audit.js';
import { cancelFingerprint, cancelIdempotently } from './idempotent-cancel.js';
import { createPaymentLoader, type PaymentLoader } from './loader.js';
import { invalidInput, type CancelOutcome, type ProviderUnavailableOutcome } from './outcomes.js';
import type { CancelSignal } from '../cancellation.js';

export interface CancelPaymentCommand {
  readonly id?: string | null | undefined;
  readonly provider?: PaymentProviderName | null | undefined;
  readonly providerPaymentId?: string | null | undefined;
  readonly reason?: string | null | undefined;
  readonly idempotencyKey?: string | null | undefined;
}

/** The payments API of one GraphQL request. */
export interface PaymentsSession {
  /** The payment, or null when it does not exist; throws ProviderUnavailableError. */
  getPayment(ref: PaymentRef): Promise<Payment | null>;
  /**
   * Rate-limits, runs and audits one cancel attempt. Throws RateLimitedError or
   * LedgerUnavailableError when it is refused before reaching the provider.
   */
  cancelPayment(command: CancelPaymentCommand): Promise<CancelOutcome>;
  /** Audits a cancel attempt refused before it could run (e.g. a missing scope). */
  auditRefusedCancel(input: unknown, outcome: 'FORBIDDEN'): void;
}

/** The caller's cancel budget is spent. */
export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
  constructor(readonly retryAfterMs: number) {
    super('Too many cancelPayment requests; retry later.');
  }
}

export interface SessionOptions {
  /** Aborts provider calls when the caller goes away. */
  readonly signal?: CancelSignal | undefined;
  /** Who is calling: idempotency keys and the cancel rate limit are per caller. */
  readonly caller?: string | undefined;
  /** For the audit trail. */
  readonly requestId?: string | undefined;
  /**
   * Runs work the caller's answer need not wait for (the audit record, recording an
   * idempotency key's outcome) once the answer is written; what it returns is awaited before
   * the outcome is returned. Default: runs it at once, the answer waiting for it.
   */
  readonly afterAnswer?: AfterAnswer | undefined;
}

/**
 * Takes work that must happen for a request but that its answer need not wait for. The lean
 * path (graphql/lean-path.ts) keeps it until the answer is handed to the socket and returns
 * nothing: nobody awaits the task, so it reports its own failures (one it lets through is
 * logged as 'work after an answer failed').
 */
export type AfterAnswer = (task: () => void | Promise<void>) => void | Promise<void>;

const runNow: AfterAnswer = (task) => task();

export interface PaymentsService {
  openSession(options?: SessionOptions): PaymentsSession;
}

export const MAX_REASON_LENGTH = 500;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

type ValidCancel = { readonly ref: PaymentRef; readonly reason: string | null; readonly idempotencyKey: string | null };

/** Checks a cancel command's shape; the provider is never called for an invalid one. */
export function validateCancelCommand(command: CancelPaymentCommand): ValidCancel | ReturnType<typeof invalidInput> {
  const byId = command.id !== null && command.id !== undefined;
  const byProvider =
    (command.provider !== null && command.provider !== undefined) ||
    (command.providerPaymentId !== null && command.providerPaymentId !== undefined);
  if (byId === byProvider) {
    return invalidInput('Give either id, or provider and providerPaymentId, but not both.');
  }
  let ref: PaymentRef | null;
  if (byId) {
    ref = decodeGlobalId(command.id as string);
    if (!ref) return invalidInput('id is not a valid payment id.', 'id');
  } else {
    if (!command.provider) return invalidInput('provider is required with providerPaymentId.', 'provider');
    if (!command.providerPaymentId) return invalidInput('providerPaymentId is required with provider.', 'providerPaymentId');
    if (!isValidProviderPaymentId(command.providerPaymentId)) {
      return invalidInput('providerPaymentId is not a valid provider payment id.', 'providerPaymentId');
    }
    ref = { provider: command.provider, providerPaymentId: command.providerPaymentId };
  }
  const reason = command.reason ?? null;
  if (reason !== null && reason.length > MAX_REASON_LENGTH) {
    return invalidInput(`reason must be at most ${MAX_REASON_LENGTH} characters.`, 'reason');
  }
  const idempotencyKey = command.idempotencyKey ?? null;
  if (idempotencyKey !== null && (idempotencyKey.length === 0 || idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH)) {
    return invalidInput(`idempotencyKey must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`, 'idempotencyKey');
  }
  return { ref, reason, idempotencyKey };
}

export function createPaymentsService(options: {
  readonly registry: ProviderRegistry;
  readonly ledger: IdempotencyLedger;
  readonly cancelRateLimiter: RateLimiter;
  readonly logger: Logger;
}): PaymentsService {
  const { registry, ledger, cancelRateLimiter, logger } = options;
  const audit = auditLogger(logger);

  function logFailure(error: unknown, operation: 'read' | 'cancel', ref: PaymentRef): void {
    if (error instanceof ProviderUnavailableError) {
      const level = error.failure === 'misconfigured' ? 'error' : 'warn';
      logger[level](
        { operation, provider: ref.provider, providerPaymentId: ref.providerPaymentId, failure: error.failure, retryable: error.retryable, ...error.detail },
        error.failure === 'misconfigured' ? 'provider rejected the gateway: check its configuration' : 'provider unavailable',
      );
    } else {
      logger.error({ operation, provider: ref.provider, err: error }, 'unexpected error calling provider');
    }
  }

  function unavailable(error: ProviderUnavailableError): ProviderUnavailableOutcome {
    return { kind: 'ProviderUnavailable', message: error.message, provider: error.provider, retryable: error.retryable };
  }

  /** After the provider refused a cancel: read the payment and say what it is now. */
  async function currentState(loader: PaymentLoader, ref: PaymentRef): Promise<CancelOutcome> {
    loader.clear(ref);
    let payment: Payment | null;
    try {
      payment = await loader.load(ref);
    } catch (error) {
      if (error instanceof ProviderUnavailableError) return unavailable(error);
      throw error;
    }
    if (payment === null) return { kind: 'PaymentNotFound', message: 'No payment with this id exists at the provider.' };
    if (payment.status === 'CANCELED') return { kind: 'CancelPaymentSuccess', payment, alreadyCanceled: true };
    if (payment.isCancellable) {
      // Refused, yet its status allows a cancel: another request may be changing it right
      // now. Not definitive (not recorded): the same request may be tried again.
      return {
        kind: 'ProviderUnavailable',
        message: 'The provider refused the cancel although the payment is in a cancellable status; try again.',
        provider: ref.provider,
        retryable: true,
      };
    }
    return {
      kind: 'PaymentNotCancellable',
      message: `The payment cannot be cancelled in its current status (${payment.status}).`,
      payment,
    };
  }

  return {
    openSession({ signal, caller = 'anonymous', requestId, afterAnswer = runNow } = {}) {
      const who = { caller, requestId: requestId ?? null };
      // The record is built when it is written: after the answer, on the lean path.
      const recordAttempt = (command: unknown, outcome: CancelAuditRecord['outcome'], result?: CancelOutcome) =>
        afterAnswer(() => writeAudit(audit, cancelAuditRecord(who, command, outcome, result)));
      // Made when a read needs it: most requests are one cancel, which reads nothing.
      let made: PaymentLoader | undefined;
      const loader = (): PaymentLoader => (made ??= createPaymentLoader(registry, { signal, onError: (error, ref) => logFailure(error, 'read', ref) }));

      async function cancelPayment(command: CancelPaymentCommand): Promise<CancelOutcome> {
        const taken = cancelRateLimiter.take(caller);
        const decision = taken instanceof Promise ? await taken : taken;
        if (!decision.allowed) {
          await recordAttempt(command, 'RATE_LIMITED');
          throw new RateLimitedError(decision.retryAfterMs);
        }
        let outcome: CancelOutcome;
        try {
          const running = cancelOnce(command);
          outcome = running instanceof Promise ? await running : running;
        } catch (error) {
          await recordAttempt(command, error instanceof LedgerUnavailableError ? 'IDEMPOTENCY_UNAVAILABLE' : 'INTERNAL_ERROR');
          throw error;
        }
        // Awaited only when it is a promise: on the lean path it is nothing, and awaiting
        // nothing still costs a turn of the microtask queue.
        const recorded = recordAttempt(command, outcome.kind, outcome);
        if (recorded instanceof Promise) await recorded;
        return outcome;
      }

      /**
       * Not an async function: one would resolve its own promise with the cancel's, which
       * costs two more turns of the microtask queue than handing the cancel's promise back.
       */
      function cancelOnce(command: CancelPaymentCommand): CancelOutcome | Promise<CancelOutcome> {
        // Input the gateway refuses itself is not recorded under the key (as at Stripe): the
        // same input gets the same answer anyway, and a corrected request may reuse the key.
        const valid = validateCancelCommand(command);
        if ('kind' in valid) return valid;
        const { ref, reason, idempotencyKey } = valid;
        if (idempotencyKey === null) return cancelAtProvider(ref, reason, null);
        return cancelIdempotently(
          { ledger, scope: caller, key: idempotencyKey, fingerprint: cancelFingerprint(ref, reason), signal, logger, afterAnswer },
          () => cancelAtProvider(ref, reason, idempotencyKey),
        );
      }

      /** One cancel at the provider, and what its answer means (DESIGN §1). */
      async function cancelAtProvider(ref: PaymentRef, reason: string | null, idempotencyKey: string | null): Promise<CancelOutcome> {
        let result;
        try {
          result = await registry[ref.provider].cancelPayment({ providerPaymentId: ref.providerPaymentId, reason, idempotencyKey, signal });
        } catch (error) {
          logFailure(error, 'cancel', ref);
          if (error instanceof ProviderUnavailableError) return unavailable(error);
          throw error;
        }
        switch (result.type) {
          case 'canceled':
            // The provider's answer is the payment's current state: no extra read is needed.
            // A loader this request already made is told it; one made later reads afresh.
            made?.clear(ref).prime(ref, result.payment);
            return { kind: 'CancelPaymentSuccess', payment: result.payment, alreadyCanceled: false };
          case 'not_found':
            made?.clear(ref).prime(ref, null);
            return { kind: 'PaymentNotFound', message: 'No payment with this id exists at the provider.' };
          case 'invalid_request':
            return invalidInput('The payment provider rejected the request parameters.', result.field);
          case 'refused_by_status':
          case 'idempotency_key_used':
            // Primer's 409 for a key it already processed counts as already cancelled when
            // the payment is cancelled now; either way the caller gets the current payment.
            return currentState(loader(), ref);
          case 'idempotency_key_used_elsewhere':
            // Not recorded: the key is unusable at the provider whatever the gateway records.
            return {
              kind: 'IdempotencyKeyConflict',
              message: 'The provider has already used this idempotency key for another payment: use a new key.',
              idempotencyKey: idempotencyKey ?? '',
              retryable: false,
            };
        }
      }

      return {
        getPayment: (ref) => loader().load(ref),
        cancelPayment,
        auditRefusedCancel: (input, outcome) => void recordAttempt(input, outcome),
      };
    },
  };
}

