/** The memory ledger's shorter form of outcome JSON: exact both ways, and shorter. */
import { describe, expect, it } from 'vitest';
import { cancelledPayment, decodeOutcomeJson, encodeOutcome, encodeOutcomeJson } from '../../src/idempotency/outcome-codec.js';
import { toPayment as hmacPayment } from '../../src/providers/hmac/transforms.js';
import { toPayment as primerPayment } from '../../src/providers/primer/transforms.js';
import { HMAC_SEED, PRIMER_SEED } from '../../src/sandboxes/index.js';

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

/** Both encoders: the text's, and the walk that writes the same shortened text directly. */
const roundTrip = (value: unknown): void => {
  const json = JSON.stringify(value);
  expect(decodeOutcomeJson(encodeOutcomeJson(json))).toBe(json);
  expect(decodeOutcomeJson(encodeOutcome(value))).toBe(json);
};

/** A small deterministic generator of JSON-ish values, tokens and look-alikes included. */
function randomValue(next: () => number, depth: number): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const texts = ['CANCELED', 'PRIMER', 'HMAC', 'kind', 'provider', 'null', 'false', 'true', '"', '\\', '\u0001', 'é𝄞', '', '0', '12', 'toString', '__proto__', 'a"status":'];
  const roll = next();
  if (depth <= 0 || roll < 0.45) {
    return pick<unknown>([null, false, true, 0, -0, 1.5, -12, 1e21, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, undefined, pick(texts), pick(texts) + pick(texts)]);
  }
  if (roll < 0.65) return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth - 1));
  const object: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 5); i > 0; i -= 1) object[pick([...texts, 'status', 'amount', 'minorUnits', 'metadata', 'x'])] = randomValue(next, depth - 1);
  return object;
}

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

  it('the walk writes what the text encoder writes for a cancelled payment, and round-trips 3 000 generated values', () => {
    const outcome = { kind: 'CancelPaymentSuccess', payment, alreadyCanceled: false };
    expect(encodeOutcome(outcome)).toBe(encodeOutcomeJson(JSON.stringify(outcome)));
    let seed = 42;
    const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let i = 0; i < 3000; i += 1) {
      const value = { kind: i % 3 === 0 ? 'CancelPaymentSuccess' : 'PaymentNotFound', payment: randomValue(next, 4), extra: randomValue(next, 3) };
      roundTrip(value);
    }
  });

  it('values the walk does not write itself (toJSON, Dates, functions, symbols, Maps) fall back to the text encoder, and still round-trip', () => {
    const unusual = [
      { kind: 'X', at: new Date(0) },
      { kind: 'X', custom: { toJSON: () => 'custom' } },
      { kind: 'X', skip: () => 1, list: [() => 1, Symbol('s'), undefined] },
      { kind: 'X', map: new Map([[1, 2]]), set: new Set([1]) },
      { kind: 'X', list: Object.assign([1, 2], { toJSON: () => 'list' }) },
      { kind: 'X', typed: new Uint8Array([1, 2]), boxed: new String('s') },
    ];
    for (const value of unusual) {
      expect(encodeOutcome(value)).toBe(encodeOutcomeJson(JSON.stringify(value)));
      roundTrip(value);
    }
  });

  it('takes own keys only, as JSON.stringify does, even when Object.prototype has an enumerable one', () => {
    const inherited = 'inheritedForTest';
    Object.defineProperty(Object.prototype, inherited, { value: 'p', enumerable: true, configurable: true, writable: true });
    try {
      const value = { kind: 'X', payment: { a: 1 } };
      expect(encodeOutcome(value)).toBe(encodeOutcomeJson(JSON.stringify(value)));
      roundTrip(value);
    } finally {
      delete (Object.prototype as Record<string, unknown>)[inherited];
    }
  });

  it('writes a cancelled payment as the adapters make it field by field, the same text as the walk; any other shape takes the walk', () => {
    const payments = [...PRIMER_SEED.map((wire) => primerPayment(wire)), ...HMAC_SEED.map((wire) => hmacPayment(wire))];
    expect(payments.length).toBeGreaterThan(20);
    const tricky = { type: '"x"', declineType: null, code: '\\', message: 'é 𝄞 \u0001 \ud800' };
    const variants = payments.flatMap((payment) => [
      payment,
      { ...payment, description: 'a "quoted" \\ \n line', reference: '\ud83d', metadata: { nested: [1, null, 'CANCELED'], provider: 'HMAC' }, statusReason: tricky },
      { ...payment, amount: { ...payment.amount, minorUnits: Number.NaN } },
      // The payment's values, the amount among them, go through the walk whatever their shape.
      { ...payment, amount: { ...payment.amount, cents: 1 } },
      { ...payment, amount: { currencyCode: 'USD', amount: '1.00', minorUnits: 100 } },
    ]);
    for (const payment of variants) {
      for (const alreadyCanceled of [false, true]) {
        const outcome = { kind: 'CancelPaymentSuccess', payment, alreadyCanceled };
        const fast = cancelledPayment(outcome);
        expect(fast, payment.providerPaymentId).toBeDefined();
        expect(fast).toBe(encodeOutcomeJson(JSON.stringify(outcome)));
        expect(encodeOutcome(outcome)).toBe(fast);
        roundTrip(outcome);
      }
    }

    const base = payments[0]!;
    const { status, ...withoutStatus } = base;
    const others: unknown[] = [
      { kind: 'PaymentNotCancellable', payment: base, alreadyCanceled: false },
      { payment: base, kind: 'CancelPaymentSuccess', alreadyCanceled: false },
      { kind: 'CancelPaymentSuccess', payment: base, alreadyCanceled: false, extra: 1 },
      { kind: 'CancelPaymentSuccess', payment: { ...base, extra: 1 }, alreadyCanceled: false },
      { kind: 'CancelPaymentSuccess', payment: withoutStatus, alreadyCanceled: false },
      { kind: 'CancelPaymentSuccess', payment: { ...withoutStatus, status }, alreadyCanceled: false },
      { kind: 'CancelPaymentSuccess', payment: Object.assign(Object.create(null) as object, base), alreadyCanceled: false },
      { kind: 'CancelPaymentSuccess', payment: { ...base, toJSON: () => 'x' }, alreadyCanceled: false },
    ];
    for (const outcome of others) {
      expect(cancelledPayment(outcome), JSON.stringify(outcome)).toBeUndefined();
      roundTrip(outcome);
    }
    // The fields themselves still go through the walk: what it cannot write falls back, exactly.
    for (const payment of [{ ...base, reference: undefined }, { ...base, createdAt: new Date(0) }, { ...base, metadata: { at: new Date(0) } }]) {
      const outcome = { kind: 'CancelPaymentSuccess', payment, alreadyCanceled: false };
      expect(encodeOutcome(outcome)).toBe(encodeOutcomeJson(JSON.stringify(outcome)));
      roundTrip(outcome);
    }
  });

  it('relies on JSON.stringify writing no raw control character, which it does not', () => {
    const controls = Array.from({ length: 32 }, (_, code) => String.fromCharCode(code)).join('');
    const json = JSON.stringify({ [controls]: controls, list: [controls] });
    expect(json).not.toMatch(/[\u0000-\u001f]/);
    roundTrip({ [controls]: controls });
  });
});
