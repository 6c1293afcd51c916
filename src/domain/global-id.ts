/**
 * Opaque, stable global ids for payments: base64url of `Payment:<PROVIDER>:<providerPaymentId>`.
 * Clients must treat them as opaque; the encoding is fixed so ids stay valid across releases.
 */
import { PAYMENT_PROVIDERS, type PaymentProviderName, type PaymentRef } from './payment.js';

const PREFIX = 'Payment';

/**
 * A provider payment id the gateway will put into a provider URL path. Letters, digits and
 * `._:-`, not starting with a dot (so never `.` or `..`), at most 255 characters.
 */
export function isValidProviderPaymentId(id: string): boolean {
  return /^[A-Za-z0-9_:-][A-Za-z0-9._:-]{0,254}$/.test(id);
}

export function isPaymentProvider(value: string): value is PaymentProviderName {
  return (PAYMENT_PROVIDERS as readonly string[]).includes(value);
}

export function encodeGlobalId(ref: PaymentRef): string {
  return Buffer.from(`${PREFIX}:${ref.provider}:${ref.providerPaymentId}`, 'utf8').toString('base64url');
}

/** The payment a global id names, or null when it is not a well-formed payment id. */
export function decodeGlobalId(id: string): PaymentRef | null {
  if (id.length === 0 || id.length > 400 || !/^[A-Za-z0-9_-]+$/.test(id)) return null;
  const text = Buffer.from(id, 'base64url').toString('utf8');
  // Only the canonical encoding is accepted, so one payment has exactly one id.
  if (Buffer.from(text, 'utf8').toString('base64url') !== id) return null;
  const first = text.indexOf(':');
  const second = text.indexOf(':', first + 1);
  if (first < 0 || second < 0 || text.slice(0, first) !== PREFIX) return null;
  const provider = text.slice(first + 1, second);
  const providerPaymentId = text.slice(second + 1);
  if (!isPaymentProvider(provider) || !isValidProviderPaymentId(providerPaymentId)) return null;
  return { provider, providerPaymentId };
}
