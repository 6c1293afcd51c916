import { describe, expect, it } from 'vitest';
import { cancellationTime, classifyPrimerResponse, toPayment, toPaymentStatus } from '../../../src/providers/primer/transforms.js';
import { PRIMER_STATUSES } from '../../../src/providers/primer/wire.js';
import { fixtureJson, fixtureText } from '../../fixtures/load.js';

describe('Primer status table', () => {
  it.each([
    ['PENDING', false, 'PROCESSING', true],
    ['PENDING', true, 'REQUIRES_ACTION', true],
    ['AUTHORIZED', false, 'AUTHORIZED', true],
    ['SETTLING', false, 'SETTLING', false],
    ['PARTIALLY_SETTLED', false, 'PARTIALLY_SETTLED', false],
    ['SETTLED', false, 'SUCCEEDED', false],
    ['CANCELLED', false, 'CANCELED', false],
    ['DECLINED', false, 'DECLINED', false],
    ['FAILED', false, 'FAILED', false],
    ['AUTHORIZED', true, 'AUTHORIZED', true],
    ['REFUND_PENDING', false, 'UNKNOWN', false],
    ['pending', false, 'UNKNOWN', false],
    ['CANCELED', false, 'UNKNOWN', false],
    ['constructor', false, 'UNKNOWN', false],
  ])('%s (requiredAction: %s) is %s, cancellable %s', (wire, hasRequiredAction, status, isCancellable) => {
    expect(toPaymentStatus(wire, hasRequiredAction)).toEqual({ status, isCancellable });
  });

  it('covers every status of the 2.4 enum', () => {
    for (const status of PRIMER_STATUSES) expect(toPaymentStatus(status, false).status).not.toBe('UNKNOWN');
  });
});

describe('Primer toPayment', () => {
  it('normalizes a recorded payment and leaves card data and e-mail behind', () => {
    const payment = toPayment(fixtureJson('primer/get-authorized.json'));
    expect(payment).toEqual({
      provider: 'PRIMER',
      providerPaymentId: 'Qm7tR2xA',
      status: 'AUTHORIZED',
      providerStatus: 'AUTHORIZED',
      isCancellable: true,
      amount: { amount: '49.99', currencyCode: 'EUR', minorUnits: 4999 },
      reference: 'order-5521',
      description: null,
      metadata: { productId: 123, basket: ['socks'] },
      createdAt: '2024-03-05T09:14:00.118Z',
      updatedAt: '2024-03-05T09:14:03.902Z',
      canceledAt: null,
      paymentMethod: 'PAYMENT_CARD',
      statusReason: null,
    });
    const text = JSON.stringify(payment);
    for (const secret of ['411111', 'ada@example.com', 'tok_Hx81bV2QpZ', 'Ada Byron']) expect(text).not.toContain(secret);
  });

  it('derives canceledAt from the CANCELLATION_SUCCEEDED event, zone-less time read as UTC', () => {
    const payment = toPayment(fixtureJson('primer/cancel-cancelled.json'));
    expect(payment).toMatchObject({ status: 'CANCELED', canceledAt: '2024-03-05T09:30:11.873Z', updatedAt: '2024-03-05T09:30:12.000Z' });
  });

  it('maps PENDING with a required action to REQUIRES_ACTION and keeps the client token out', () => {
    const payment = toPayment(fixtureJson('primer/get-pending-3ds.json'));
    expect(payment).toMatchObject({ status: 'REQUIRES_ACTION', providerStatus: 'PENDING', isCancellable: true, createdAt: '2024-03-05T09:00:00.000Z' });
    expect(payment.amount).toEqual({ amount: '5000', currencyCode: 'JPY', minorUnits: 5000 });
    expect(JSON.stringify(payment)).not.toContain('ct_secret');
  });

  it('carries the status reason of a decline, and three-decimal currencies', () => {
    const payment = toPayment(fixtureJson('primer/get-declined.json'));
    expect(payment.statusReason).toEqual({ type: 'ISSUER_DECLINED', declineType: 'SOFT_DECLINE', code: 'INSUFFICIENT_FUNDS', message: 'Insufficient funds' });
    expect(payment.amount).toEqual({ amount: '1.234', currencyCode: 'KWD', minorUnits: 1234 });
  });

  const base = () => fixtureJson('primer/get-authorized.json');
  it.each([
    ['IDR', 450000000000, '4500000000.00'],
    ['IQD', 1500, '1.500'],
    ['USD', 0, '0.00'],
    ['USD', Number.MAX_SAFE_INTEGER, '90071992547409.91'],
  ])('%s %i minor units is %s', (currencyCode, amount, decimal) => {
    expect(toPayment({ ...base(), currencyCode, amount }).amount).toEqual({ amount: decimal, currencyCode, minorUnits: amount });
  });

  it.each([
    ['an amount beyond 2^53-1', JSON.parse('{"amount": 9007199254740993}') as object, 'amount'],
    ['a fractional amount', { amount: 49.99 }, 'amount'],
    ['a string amount', { amount: '4999' }, 'amount'],
    ['a negative amount', { amount: -1 }, 'amount'],
    ['an unknown currency', { currencyCode: 'XAU' }, 'currencyCode'],
    ['a missing status', { status: null }, 'status'],
    ['a missing date', { date: undefined }, 'date'],
    ['a bad dateUpdated', { dateUpdated: 'soon' }, 'dateUpdated'],
    ['a bad event date', { transactions: [{ events: [{ type: 'CANCELLATION_SUCCEEDED', date: 'x' }] }] }, 'transactions'],
  ])('refuses %s', (_name, patch, field) => {
    expect(() => toPayment({ ...base(), ...patch })).toThrow(field);
  });

  it('reads events only where present', () => {
    expect(cancellationTime(undefined)).toBeNull();
    expect(cancellationTime([{ processorStatus: 'CANCELLED' }])).toBeNull();
    expect(
      cancellationTime([
        { events: [{ type: 'CANCELLATION_SUCCEEDED', date: '2024-01-01T00:00:00' }] },
        { events: [{ type: 'CANCELLATION_SUCCEEDED', date: '2024-01-02T00:00:00' }, { type: 'CAPTURE_SUCCEEDED', date: '2024-01-03T00:00:00' }] },
      ]),
    ).toBe('2024-01-02T00:00:00.000Z');
  });
});

describe('classifyPrimerResponse', () => {
  it.each([
    [200, 'primer/get-authorized.json', { kind: 'ok' }],
    [400, 'primer/error-payment-not-found.json', { kind: 'not_found' }],
    [400, 'primer/error-invalid-status.json', { kind: 'refused_by_status' }],
    [409, 'primer/error-idempotency-key.json', { kind: 'idempotency_key_used', paymentId: 'Qm7tR2xA' }],
    [422, 'primer/error-request-validation.json', { kind: 'invalid_request', field: 'reason' }],
    [409, 'primer/error-request-limit.json', { kind: 'failure', failure: 'refused', errorId: 'PaymentRequestLimitExceeded' }],
    [401, 'primer/error-unauthorized.json', { kind: 'failure', failure: 'misconfigured', errorId: 'Unauthorized', diagnosticsId: '5511887' }],
  ])('%i %s', (status, fixture, expected) => {
    expect(classifyPrimerResponse(status, fixtureText(fixture))).toMatchObject(expected);
  });

  it('409 IdempotencyKeyAlreadyExists without a paymentId: the payment is not named', () => {
    expect(classifyPrimerResponse(409, '{"error":{"errorId":"IdempotencyKeyAlreadyExists","description":"x"}}')).toEqual({
      kind: 'idempotency_key_used',
      paymentId: null,
    });
  });

  it.each([
    [403, '{"error":{"errorId":"Forbidden","description":"Missing scope"}}', 'misconfigured'],
    [401, '', 'misconfigured'],
    [404, '{"detail":"Not Found"}', 'misconfigured'],
    [405, '{"detail":"Method Not Allowed"}', 'misconfigured'],
    [410, '{"error":{"errorId":"Gone","description":"Version retired"}}', 'misconfigured'],
    [400, '{"error":{"errorId":"InvalidApiVersion","description":"x"}}', 'misconfigured'],
    [422, '{"error":{"errorId":"UnprocessableRefundAmount","description":"x"}}', 'misconfigured'],
    [429, '', 'rate_limited'],
    [504, '', 'timeout'],
    [408, '', 'timeout'],
    [500, '{"error":{"errorId":"InternalServerError","description":"x"}}', 'server_error'],
    [502, '<html><body>502 Bad Gateway</body></html>', 'server_error'],
    [503, '', 'server_error'],
    [200, '{"id":', 'unreadable_response'],
    [200, '"ok"', 'unreadable_response'],
    [200, '{"error":{"errorId":"X","description":"y"}}', 'unreadable_response'],
    [400, 'Bad Request', 'unreadable_response'],
  ])('%i %j is a %s failure', (status, body, failure) => {
    expect(classifyPrimerResponse(status, body)).toMatchObject({ kind: 'failure', failure });
  });

  it('honours a 404 with a Primer error body as not found', () => {
    expect(classifyPrimerResponse(404, '{"error":{"errorId":"PaymentNotFoundError","description":"x"}}')).toEqual({ kind: 'not_found' });
    expect(classifyPrimerResponse(404, '{"error":{"errorId":"EntityNotFound","description":"x"}}')).toEqual({ kind: 'not_found' });
  });

  it('a 422 without a field path names no field', () => {
    expect(classifyPrimerResponse(422, '{"error":{"errorId":"RequestValidationError","description":"x"}}')).toEqual({ kind: 'invalid_request', field: null });
  });
});
