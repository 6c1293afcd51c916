import { describe, expect, it } from 'vitest';
import { classifyHmacResponse, toPayment, toPaymentStatus } from '../../../src/providers/hmac/transforms.js';
import { HMAC_STATUSES } from '../../../src/providers/hmac/wire.js';
import { fixtureJson, fixtureText } from '../../fixtures/load.js';

describe('HMAC status table', () => {
  it.each([
    ['requires_payment_method', 'REQUIRES_PAYMENT_METHOD', true],
    ['requires_confirmation', 'REQUIRES_CONFIRMATION', true],
    ['requires_action', 'REQUIRES_ACTION', true],
    ['processing', 'PROCESSING', true],
    ['requires_capture', 'AUTHORIZED', true],
    ['succeeded', 'SUCCEEDED', false],
    ['canceled', 'CANCELED', false],
    ['expired', 'EXPIRED', false],
    ['payment_failed', 'FAILED', false],
    ['on_hold', 'UNKNOWN', false],
    ['SUCCEEDED', 'UNKNOWN', false],
    ['cancelled', 'UNKNOWN', false],
    ['', 'UNKNOWN', false],
    ['__proto__', 'UNKNOWN', false],
    ['toString', 'UNKNOWN', false],
  ])('%j is %s, cancellable %s', (wire, status, isCancellable) => {
    expect(toPaymentStatus(wire)).toEqual({ status, isCancellable });
  });

  it('covers every documented status', () => {
    for (const status of HMAC_STATUSES) expect(toPaymentStatus(status).status).not.toBe('UNKNOWN');
  });
});

describe('HMAC toPayment', () => {
  const data = () => structuredClone(fixtureJson('hmac/get-requires-capture.json')['data']) as Record<string, unknown>;

  it('normalizes a recorded payment and drops the client secret', () => {
    const payment = toPayment(data());
    expect(payment).toEqual({
      provider: 'HMAC',
      providerPaymentId: '0f8fad5b-d9cb-469f-a165-70867728950e',
      status: 'AUTHORIZED',
      providerStatus: 'requires_capture',
      isCancellable: true,
      amount: { amount: '2500.50', currencyCode: 'THB', minorUnits: 250050 },
      reference: 'order-77812',
      description: 'Two tickets, row F',
      metadata: { order_id: '77812', channel: 'web' },
      createdAt: '2024-03-05T09:14:00.000Z',
      updatedAt: '2024-03-05T09:14:02.120Z',
      canceledAt: null,
      paymentMethod: 'card',
      statusReason: null,
    });
    expect(JSON.stringify(payment)).not.toContain('secret');
  });

  it('reads a cancelled payment', () => {
    const payment = toPayment(fixtureJson('hmac/cancel-success.json')['data']);
    expect(payment.status).toBe('CANCELED');
    expect(payment.canceledAt).toBe('2024-03-05T09:20:00.000Z');
  });

  it.each([
    ['JPY', '500', '500', 500],
    ['KWD', '1.234', '1.234', 1234],
    ['THB', '30000000.00', '30000000.00', 3_000_000_000],
    ['THB', '1000', '1000.00', 100000],
  ])('%s %s is %s (%i minor units)', (currency, amount, decimal, minor) => {
    expect(toPayment({ ...data(), currency, amount }).amount).toEqual({ amount: decimal, currencyCode: currency, minorUnits: minor });
  });

  it('reads a lower-case currency code', () => {
    expect(toPayment({ ...data(), currency: 'usd', amount: '12.34' }).amount).toEqual({ amount: '12.34', currencyCode: 'USD', minorUnits: 1234 });
  });

  it('keeps an unknown status raw', () => {
    const payment = toPayment({ ...data(), status: 'on_hold' });
    expect(payment).toMatchObject({ status: 'UNKNOWN', providerStatus: 'on_hold', isCancellable: false });
  });

  it('reads absent optional fields as null', () => {
    const { referenceId: _r, description: _d, metadata: _m, updatedAt: _u, canceledAt: _c, paymentMethod: _p, ...minimal } = data();
    expect(toPayment(minimal)).toMatchObject({ reference: null, description: null, metadata: null, updatedAt: null, canceledAt: null, paymentMethod: null });
  });

  it.each([
    ['a float amount', { amount: 2500.5 }, 'amount'],
    ['too many fraction digits', { amount: '12.345' }, 'amount'],
    ['a negative amount', { amount: '-1.00' }, 'amount'],
    ['an amount beyond 2^53-1 minor units', { amount: '90071992547409.92' }, 'amount'],
    ['an unknown currency', { currency: 'ZZZ' }, 'currency'],
    ['a missing id', { id: undefined }, 'id'],
    ['a numeric status', { status: 3 }, 'status'],
    ['a bad createdAt', { createdAt: 'yesterday' }, 'createdAt'],
    ['a missing createdAt', { createdAt: null }, 'createdAt'],
    ['a bad canceledAt', { canceledAt: 12 }, 'canceledAt'],
  ])('refuses %s', (_name, patch, field) => {
    expect(() => toPayment({ ...data(), ...patch })).toThrow(field);
  });

  it('refuses data that is not an object', () => {
    expect(() => toPayment(null)).toThrow('not an object');
    expect(() => toPayment([data()])).toThrow('not an object');
  });
});

describe('classifyHmacResponse', () => {
  it.each([
    [200, 'hmac/get-requires-capture.json', 'ok'],
    [404, 'hmac/error-not-found.json', 'not_found'],
    [400, 'hmac/error-not-cancellable.json', 'refused'],
  ])('%i %s is %s', (status, fixture, kind) => {
    expect(classifyHmacResponse(status, fixtureText(fixture)).kind).toBe(kind);
  });

  it.each([
    [401, fixtureText('hmac/error-unauthorized.json'), 'misconfigured'],
    [403, '{"success":false,"error":{"code":"FORBIDDEN"}}', 'misconfigured'],
    [404, '<html>Not Found</html>', 'misconfigured'],
    [404, '{"success":false,"error":{"code":"NOT_FOUND","message":"Route not found"}}', 'misconfigured'],
    [405, '', 'misconfigured'],
    [429, '{"success":false,"error":{"code":"RATE_LIMITED"}}', 'rate_limited'],
    [429, '', 'rate_limited'],
    [408, '', 'timeout'],
    [500, '{"success":false,"error":{"code":"INTERNAL_ERROR"}}', 'server_error'],
    [502, '<html>Bad gateway</html>', 'server_error'],
    [503, '', 'server_error'],
    [504, '', 'server_error'],
    [200, '{"success":true,"data":', 'unreadable_response'],
    [200, '{"success":true}', 'unreadable_response'],
    [200, '{"success":true,"data":"x"}', 'unreadable_response'],
    [200, '{"success":false,"error":{"code":"X"}}', 'unreadable_response'],
    [200, '[]', 'unreadable_response'],
    [200, '', 'unreadable_response'],
    [400, 'Bad Request', 'unreadable_response'],
    [410, '{"success":false,"error":{"code":"GONE"}}', 'misconfigured'],
  ])('%i %j is a %s failure', (status, body, failure) => {
    expect(classifyHmacResponse(status, body)).toMatchObject({ kind: 'failure', failure });
  });

  it.each([
    [409, '{"success":false,"error":{"code":"CONFLICT","message":"Payment already canceled"}}'],
    [422, '{"success":false,"error":{"code":"UNPROCESSABLE","message":"Invalid state"}}'],
    [400, '{"success":false,"error":{"code":"INVALID_STATE","message":"x"}}'],
  ])('%i with an error envelope is a refusal the gateway then explains by reading the payment', (status, body) => {
    expect(classifyHmacResponse(status, body)).toEqual({ kind: 'refused' });
  });

  it('keeps the provider error code, never the message', () => {
    const reply = classifyHmacResponse(401, fixtureText('hmac/error-unauthorized.json'));
    expect(reply).toEqual({ kind: 'failure', failure: 'misconfigured', code: 'UNAUTHORIZED' });
  });
});
