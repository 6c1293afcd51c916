/**
 * The outcomes of cancelPayment, decided once for every provider. Each is a member of the
 * GraphQL `CancelPaymentResult` union; `kind` is that member's name.
 */
import type { Payment, PaymentProviderName } from '../domain/payment.js';

export interface CancelPaymentSuccessOutcome {
  readonly kind: 'CancelPaymentSuccess';
  readonly payment: Payment;
  readonly alreadyCanceled: boolean;
}

export interface PaymentNotFoundOutcome {
  readonly kind: 'PaymentNotFound';
  readonly message: string;
}

export interface PaymentNotCancellableOutcome {
  readonly kind: 'PaymentNotCancellable';
  readonly message: string;
  readonly payment: Payment;
}

export interface ProviderUnavailableOutcome {
  readonly kind: 'ProviderUnavailable';
  readonly message: string;
  readonly provider: PaymentProviderName;
  readonly retryable: boolean;
}

export interface InvalidInputOutcome {
  readonly kind: 'InvalidInput';
  readonly message: string;
  readonly field: string | null;
}

export interface IdempotencyKeyConflictOutcome {
  readonly kind: 'IdempotencyKeyConflict';
  readonly message: string;
  readonly idempotencyKey: string;
  readonly retryable: boolean;
}

export type CancelOutcome =
  | CancelPaymentSuccessOutcome
  | PaymentNotFoundOutcome
  | PaymentNotCancellableOutcome
  | ProviderUnavailableOutcome
  | InvalidInputOutcome
  | IdempotencyKeyConflictOutcome;

/**
 * Outcomes that settle the request: recorded under its idempotency key and replayed. After
 * any other (a retryable failure, a conflict) the same key may try again.
 */
export function isDefinitive(outcome: CancelOutcome): boolean {
  switch (outcome.kind) {
    case 'CancelPaymentSuccess':
    case 'PaymentNotFound':
    case 'PaymentNotCancellable':
    case 'InvalidInput':
      return true;
    case 'ProviderUnavailable':
    case 'IdempotencyKeyConflict':
      return false;
  }
}

export const invalidInput = (message: string, field: string | null = null): InvalidInputOutcome => ({
  kind: 'InvalidInput',
  message,
  field,
});
