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

describe('decoding global ids', () => {
  // What the gateway decoded with before its own decoder: Buffer, then a re-encoding to keep
  // only the canonical form. The two must agree on every string.
  const reference = (id: string) => {
    if (id.length === 0 || id.length > 400 || !/^[A-Za-z0-9_-]+$/.test(id)) return null;
    const text = Buffer.from(id, 'base64url').toString('utf8');
    if (Buffer.from(text, 'utf8').toString('base64url') !== id) return null;
    const [prefix, provider, ...rest] = text.split(':');
    const providerPaymentId = rest.join(':');
    if (prefix !== 'Payment' || rest.length === 0 || (provider !== 'HMAC' && provider !== 'PRIMER') || !isValidProviderPaymentId(providerPaymentId)) return null;
    return { provider, providerPaymentId };
  };
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  // A seeded generator: the same strings on every run.
  let seed = 42;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };

  it('agrees with Buffer on ids of every length, with every last digit, and on mangled ones', () => {
    const candidates: string[] = [];
    for (let length = 1; length <= 40; length += 1) {
      let providerPaymentId = '';
      for (let i = 0; i < length; i += 1) providerPaymentId += 'aZ9_-.:é'[random(8)];
      for (const provider of ['HMAC', 'PRIMER', 'STRIPE']) {
        const id = Buffer.from(`Payment:${provider}:${providerPaymentId}`, 'utf8').toString('base64url');
        candidates.push(id, `${id}=`, id.slice(0, -1), `${id}A`, id.toUpperCase());
        // Every possible last digit: only the canonical one names the payment.
        for (const digit of ALPHABET) candidates.push(id.slice(0, -1) + digit);
        const at = random(id.length);
        candidates.push(id.slice(0, at) + '+/ .é'[random(5)] + id.slice(at + 1));
      }
    }
    expect(candidates.filter((id) => reference(id) !== null).length).toBeGreaterThan(100);
    for (const id of candidates) expect(decodeGlobalId(id), id).toEqual(reference(id));
  });

  it('remembers only the last id: each id, decoded again after others, names its own payment, and the shared answer cannot be changed', () => {
    const a = encodeGlobalId({ provider: 'PRIMER', providerPaymentId: 'aaaa' });
    const b = encodeGlobalId({ provider: 'HMAC', providerPaymentId: 'bbbb' });
    const sequence = [a, a, b, 'nope', b, a, 'nope', a];
    const expected = (id: string) => (id === a ? { provider: 'PRIMER', providerPaymentId: 'aaaa' } : id === b ? { provider: 'HMAC', providerPaymentId: 'bbbb' } : null);
    for (const id of sequence) expect(decodeGlobalId(id), id).toEqual(expected(id));
    // The same text in another string object is the same id.
    expect(decodeGlobalId(`${a.slice(0, 4)}${a.slice(4)}`)).toEqual(expected(a));
    const ref = decodeGlobalId(a)!;
    expect(Object.isFrozen(ref)).toBe(true);
    expect(() => Object.assign(ref, { providerPaymentId: 'other' })).toThrow(TypeError);
    expect(decodeGlobalId(a)).toEqual(expected(a));
  });

  it('encodes every payment as its own id whatever was decoded last: the same one, another provider, another id, a case change', () => {
    const reference = (ref: { provider: string; providerPaymentId: string }) => Buffer.from(`Payment:${ref.provider}:${ref.providerPaymentId}`).toString('base64url');
    const decodedLast = decodeGlobalId(reference({ provider: 'PRIMER', providerPaymentId: 'pay_1' }));
    expect(decodedLast).not.toBeNull();
    const refs = [
      { provider: 'PRIMER', providerPaymentId: 'pay_1' },
      { provider: 'HMAC', providerPaymentId: 'pay_1' },
      { provider: 'PRIMER', providerPaymentId: 'pay_2' },
      { provider: 'PRIMER', providerPaymentId: 'PAY_1' },
      { provider: 'PRIMER', providerPaymentId: 'pay_1' },
    ] as const;
    for (const ref of refs) expect(encodeGlobalId(ref), JSON.stringify(ref)).toBe(reference(ref));
    expect(encodeGlobalId(decodedLast!)).toBe(reference(decodedLast!));
  });
});
