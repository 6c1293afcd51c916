/** JSON string literals written without JSON.stringify where nothing needs escaping: the same text, always. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { jsonString } from '../../src/domain/json.js';
import { cancelFingerprint } from '../../src/payments/idempotent-cancel.js';

describe('jsonString', () => {
  it('writes what JSON.stringify writes for every UTF-16 code unit, alone and between others', () => {
    for (let code = 0; code <= 0xffff; code += 1) {
      const char = String.fromCharCode(code);
      expect(jsonString(char)).toBe(JSON.stringify(char));
      expect(jsonString(`ab${char}cd`)).toBe(JSON.stringify(`ab${char}cd`));
    }
  });

  it('writes surrogate pairs, lone and reversed surrogates, and longer text as JSON.stringify does', () => {
    const texts = ['', 'plain ASCII text', '𝄞', '\ud834\udd1e', '\udd1e\ud834', 'x\ud800', '\udfffx', 'é € 日本語', '"quoted" \\ back', '\u2028\u2029', 'a'.repeat(10_000), `${'b'.repeat(5_000)}\n`];
    for (const text of texts) expect(jsonString(text)).toBe(JSON.stringify(text));
  });
});

describe('cancelFingerprint', () => {
  it('is the SHA-256 of the JSON of the call it binds a key to, unchanged from when JSON.stringify wrote that text', () => {
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
    for (const providerPaymentId of ['kHdEw9EG', '550e8400-e29b-41d4-a716-446655440000', 'a:b.c_d-e']) {
      for (const reason of [null, '', 'customer asked', 'a "quoted" \\ reason\n', 'é 𝄞 \ud800']) {
        for (const provider of ['PRIMER', 'HMAC'] as const) {
          expect(cancelFingerprint({ provider, providerPaymentId }, reason)).toBe(sha256(JSON.stringify(['cancelPayment', provider, providerPaymentId, reason])));
        }
      }
    }
    // A known value: fingerprints recorded in a shared ledger (Redis) must match across releases.
    expect(cancelFingerprint({ provider: 'PRIMER', providerPaymentId: 'kHdEw9EG' }, null)).toBe(sha256('["cancelPayment","PRIMER","kHdEw9EG",null]'));
  });
});
