import { describe, expect, it } from 'vitest';
import { hmacAuthHeaders, hmacSignature } from '../../../src/providers/hmac/signing.js';

// Expected values computed independently with `openssl dgst -sha256 -hmac`.
describe('hmacSignature', () => {
  it.each([
    ['sandbox_hmac_secret', '1704067200000', '', 'sha256=471ed6a126a6b6a49a4d59939aa6d23f70d7aab846a6c308516531bd27c6ac59'],
    ['whsec_test_123', '1704067200000', '{"reason":"duplicate"}', 'sha256=6295940d6a44e6a61c4df82dbfe48093e6e79eaf1e022a15801eb763d2e882bb'],
    ['s3cr3t', '1717171717171', '', 'sha256=9e8bcd63c861a5ff26ceb4a67babb85988416e10165d3d06d4466c3ad274518e'],
    ['k', '1704067200000', 'ünïcode', 'sha256=1ce2a79fc0e728573edb010ff63e21341139201561d5a760fb01dd563f5aea04'],
  ])('secret %j, timestamp %s, body %j', (secret, timestamp, body, expected) => {
    expect(hmacSignature(secret, timestamp, body)).toBe(expected);
  });
});

describe('hmacAuthHeaders', () => {
  it('sends the key, the millisecond timestamp and the signature over "${timestamp}.${body}"', () => {
    expect(hmacAuthHeaders('key_1', 'sandbox_hmac_secret', 1704067200000, '')).toEqual({
      'X-API-Key': 'key_1',
      'X-Timestamp': '1704067200000',
      'X-Signature': 'sha256=471ed6a126a6b6a49a4d59939aa6d23f70d7aab846a6c308516531bd27c6ac59',
    });
  });

  it('signs a different timestamp differently', () => {
    const a = hmacAuthHeaders('k', 's', 1704067200000, '')['X-Signature'];
    const b = hmacAuthHeaders('k', 's', 1704067200001, '')['X-Signature'];
    expect(a).not.toBe(b);
  });
});
