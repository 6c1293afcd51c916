/**
 * A shorter form of a recorded outcome's JSON for the memory ledger: each of the outcome's
 * usual keys and a few usual values becomes one control character.
 *
 * JSON.stringify never writes U+0001–U+001F raw (inside strings it escapes them, and it adds
 * no whitespace), so those 31 characters are free to stand for longer text, and decoding,
 * which puts each one back, is the exact inverse of encoding whatever the text holds (a key
 * or value of the provider's `metadata` that happens to look like a token is shortened and
 * restored the same way). A cancelled payment's 562 bytes become 266: 20 000 recorded
 * outcomes keep about 6 MB less.
 */

/** At most 31 (U+0001–U+001F), longest first where one could be a prefix of another. */
const TOKENS: readonly string[] = [
  '{"kind":"CancelPaymentSuccess","payment":{"provider":',
  '"providerPaymentId":',
  '"alreadyCanceled":',
  '"providerStatus":',
  '"isCancellable":',
  '"paymentMethod":',
  '"currencyCode":',
  '"statusReason":',
  '"description":',
  '"declineType":',
  '"canceledAt":',
  '"minorUnits":',
  '"reference":',
  '"retryable":',
  '"createdAt":',
  '"updatedAt":',
  '"metadata":',
  '"provider":',
  '"payment":',
  '"message":',
  '"amount":',
  '"status":',
  '"field":',
  '"kind":',
  '"type":',
  '"code":',
  '"CANCELED"',
  '"PRIMER"',
  '"HMAC"',
  'false',
  'null',
];

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const ENCODE = new RegExp(TOKENS.map(escapeRegExp).join('|'), 'g');
const DECODE = /[\u0001-\u001f]/g;
const codeOf = new Map(TOKENS.map((token, i) => [token, String.fromCharCode(i + 1)]));
const encodeToken = (token: string): string => codeOf.get(token)!;
const decodeCode = (code: string): string => TOKENS[code.charCodeAt(0) - 1]!;

if (TOKENS.length > 31) throw new Error('outcome-codec: more tokens than control characters');

/** `json` must be JSON.stringify's output (it has no raw control characters). */
export function encodeOutcomeJson(json: string): string {
  return json.replace(ENCODE, encodeToken);
}

export function decodeOutcomeJson(encoded: string): string {
  return encoded.replace(DECODE, decodeCode);
}
