/**
 * The step both adapters share after a provider answered with a payment: convert it with
 * the provider's pure transform, check it is the payment asked for, log an unknown status,
 * and turn a malformed payment into ProviderUnavailableError (unreadable_response).
 */
import type { Logger } from 'pino';
import type { Payment, PaymentProviderName } from '../domain/payment.js';
import { ProviderUnavailableError, UnreadableResponseError, type ProviderFailureDetail } from './errors.js';

export function readProviderPayment(
  provider: PaymentProviderName,
  toPayment: (raw: unknown) => Payment,
  log: Logger,
  raw: unknown,
  expectedId: string,
  detail: ProviderFailureDetail,
  options: { readonly caseInsensitiveId?: boolean } = {},
): Payment {
  let payment: Payment;
  try {
    payment = toPayment(raw);
    // The same text is the usual case: no lower-case copies for it.
    const sameId =
      payment.providerPaymentId === expectedId ||
      (options.caseInsensitiveId === true && payment.providerPaymentId.toLowerCase() === expectedId.toLowerCase());
    if (!sameId) throw new UnreadableResponseError('id does not match the requested payment');
  } catch (error) {
    if (error instanceof UnreadableResponseError) {
      throw new ProviderUnavailableError(provider, 'unreadable_response', { ...detail, problem: error.message });
    }
    throw error;
  }
  if (payment.status === 'UNKNOWN') {
    log.warn({ providerPaymentId: payment.providerPaymentId, providerStatus: payment.providerStatus }, 'unknown payment status: mapped to UNKNOWN');
  }
  return payment;
}
