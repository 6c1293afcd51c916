import { describe, expect, it } from 'vitest';
import { decodeGlobalId, encodeGlobalId, isValidProviderPaymentId } from '../../src/domain/global-id.js';

describe('global ids', () => {
  it.each([
    [{ provider: 'HMAC', providerPaymentId: '550e8400-e29b-41d4-a716-446655440000' }],
    [{ provider: 'PRIMER', providerPaymentId: 'kHdEw9EG' }],
    [{ provider: 'PRIMER', providerPaymentId: 'a:b:c' }],
  ] as const)('round-trips %j', (ref) => {
    const id = encodeGlobalId(ref);
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeGlobalId(id)).toEqual(ref);
  });

  it('is stable: the encoding is part of the public contract', () => {
    expect(encodeGlobalId({ provider: 'PRIMER', providerPaymentId: 'kHdEw9EG' })).toBe('UGF5bWVudDpQUklNRVI6a0hkRXc5RUc');
  });

  it('differs per provider for the same provider id', () => {
    expect(encodeGlobalId({ provider: 'HMAC', providerPaymentId: 'x1' })).not.toBe(encodeGlobalId({ provider: 'PRIMER', providerPaymentId: 'x1' }));
  });

  const b64 = (text: string) => Buffer.from(text).toString('base64url');
  it.each([
    ['', 'empty'],
    ['not base64!', 'not base64url'],
    [b64('Payment:STRIPE:pi_1'), 'unknown provider'],
    [b64('Refund:HMAC:abc'), 'not a payment'],
    [b64('Payment:HMAC:'), 'empty provider id'],
    [b64('Payment:HMAC'), 'no provider id'],
    [b64('Payment:HMAC:../admin'), 'a path in the provider id'],
    [b64('Payment:PRIMER:..'), 'a dot segment'],
    [b64('Payment:HMAC:a b'), 'whitespace'],
    [`${b64('Payment:HMAC:abc')}=`, 'padded, not canonical'],
    ['UGF5bWVudDpQUklNRVI6a0hkRXc5RUd', 'non-canonical trailing bits'],
    ['A'.repeat(500), 'too long'],
  ])('%j is not a payment id (%s)', (id) => {
    expect(decodeGlobalId(id)).toBeNull();
  });

  it.each([
    ['550e8400-e29b-41d4-a716-446655440000', true],
    ['kHdEw9EG', true],
    ['pay_1.2', true],
    ['.', false],
    ['..', false],
    ['.hidden', false],
    ['a/b', false],
    ['a?b', false],
    ['a%2Fb', false],
    ['', false],
    ['x'.repeat(255), true],
    ['x'.repeat(256), false],
  ])('provider payment id %j valid: %s', (id, valid) => {
    expect(isValidProviderPaymentId(id)).toBe(valid);
  });
});
