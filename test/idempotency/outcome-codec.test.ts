/** The memory ledger's shorter form of outcome JSON: exact both ways, and shorter. */
import { describe, expect, it } from 'vitest';
import { decodeOutcomeJson, encodeOutcomeJson } from '../../src/idempotency/outcome-codec.js';

const payment = {
  provider: 'PRIMER',
  providerPaymentId: 'pay_7f3a9c1e-0042-4d1b-9e3a-123456789abc',
  status: 'CANCELED',
  providerStatus: 'CANCELLED',
  isCancellable: false,
  amount: { amount: '1234.56', currencyCode: 'USD', minorUnits: 123456 },
  reference: 'order-2026-000123',
  description: 'Two tickets',
  metadata: { productId: 123, merchantId: 'a13bsd62s' },
  createdAt: '2026-11-30T10:00:00.000Z',
  updatedAt: '2026-12-01T07:00:00.000Z',
  canceledAt: null,
  paymentMethod: 'PAYMENT_CARD',
  statusReason: null,
};

const roundTrip = (value: unknown): void => {
  const json = JSON.stringify(value);
  const encoded = encodeOutcomeJson(json);
  expect(decodeOutcomeJson(encoded)).toBe(json);
};

describe('the outcome codec', () => {
  it('shortens a cancelled payment to under half and restores it exactly', () => {
    const outcome = { kind: 'CancelPaymentSuccess', payment, alreadyCanceled: false };
    const json = JSON.stringify(outcome);
    const encoded = encodeOutcomeJson(json);
    expect(Buffer.byteLength(encoded)).toBeLessThan(json.length / 2);
    expect(decodeOutcomeJson(encoded)).toBe(json);
    expect(JSON.parse(decodeOutcomeJson(encoded))).toEqual(outcome);
  });

  it('restores every replayable outcome kind exactly', () => {
    roundTrip({ kind: 'PaymentNotFound', message: 'No payment with this id.' });
    roundTrip({ kind: 'PaymentNotCancellable', message: 'Settled.', payment: { ...payment, status: 'SUCCEEDED', statusReason: { type: 'x', declineType: null, code: 'c', message: 'm' } } });
    roundTrip({ kind: 'InvalidInput', message: 'Bad id.', field: 'id' });
    roundTrip({ kind: 'CancelPaymentSuccess', payment: { ...payment, provider: 'HMAC', providerStatus: 'canceled' }, alreadyCanceled: true });
  });

  it('restores provider text that looks like its tokens or holds escapes, exactly', () => {
    const tricky = [
      '"provider":',
      'null false "CANCELED" "HMAC"',
      '{"kind":"CancelPaymentSuccess","payment":{"provider":',
      'a\\"provider":',
      '"\\u0001',
      '\u0001\u0002\u001f\u0000\t\n\r',
      'é € 𝄞 日本語',
      '\\',
      '',
    ];
    for (const text of tricky) {
      roundTrip({ kind: 'CancelPaymentSuccess', payment: { ...payment, description: text, metadata: { [text]: text, nested: [text, null, false, { provider: text }] } }, alreadyCanceled: false });
    }
  });

  it('relies on JSON.stringify writing no raw control character, which it does not', () => {
    const controls = Array.from({ length: 32 }, (_, code) => String.fromCharCode(code)).join('');
    const json = JSON.stringify({ [controls]: controls, list: [controls] });
    expect(json).not.toMatch(/[\u0000-\u001f]/);
    roundTrip({ [controls]: controls });
  });
});
