import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Payment } from '../../src/domain/payment.js';
import { ProviderUnavailableError } from '../../src/providers/errors.js';
import { readProviderPayment } from '../../src/providers/read-payment.js';

const log = pino({ level: 'silent' });
/** A transform that returns a payment with the id it is given, whatever else. */
const withId = (raw: unknown) => ({ providerPaymentId: (raw as { id: string }).id, status: 'AUTHORIZED' }) as unknown as Payment;
const read = (id: string, expected: string, options?: { caseInsensitiveId?: boolean }) =>
  readProviderPayment('HMAC', withId, log, { id }, expected, { httpStatus: 200, providerRequestId: undefined }, options);

describe('readProviderPayment', () => {
  it('accepts the payment asked for', () => {
    expect(read('Ab1', 'Ab1').providerPaymentId).toBe('Ab1');
  });

  it('refuses another payment as an unreadable response', () => {
    expect(() => read('Ab2', 'Ab1')).toThrow(ProviderUnavailableError);
    // Primer ids are case-sensitive.
    expect(() => read('ab1', 'Ab1')).toThrow(ProviderUnavailableError);
  });

  it('compares ids without case when told to (HMAC UUIDs), keeping the provider\'s spelling', () => {
    const payment = read('ca0152b7-cb5d-4fd3-a9a5-163e299f66cf', 'CA0152B7-CB5D-4FD3-A9A5-163E299F66CF', { caseInsensitiveId: true });
    expect(payment.providerPaymentId).toBe('ca0152b7-cb5d-4fd3-a9a5-163e299f66cf');
    expect(() => read('ca0152b7-cb5d-4fd3-a9a5-163e299f66c0', 'CA0152B7-CB5D-4FD3-A9A5-163E299F66CF', { caseInsensitiveId: true })).toThrow(ProviderUnavailableError);
  });
});
