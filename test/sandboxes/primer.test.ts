import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPrimerSandbox, PRIMER_SEED, PRIMER_SEED_IDS, type PrimerSandbox } from '../../src/sandboxes/index.js';

const NOW = Date.UTC(2025, 0, 22, 13, 39, 18, 992);
const NOW_ZONELESS = '2025-01-22T13:39:18.992000';
const ZONELESS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface CallOptions {
  body?: string;
  /** `null` leaves the header out. */
  version?: string | null;
  apiKey?: string | null;
  headers?: Record<string, string>;
}

let sandbox: PrimerSandbox;

beforeEach(async () => {
  sandbox = await createPrimerSandbox({ now: () => NOW });
});
afterEach(async () => {
  await sandbox.close();
});

async function call(method: string, path: string, opts: CallOptions = {}) {
  const headers: Record<string, string> = { ...opts.headers };
  const apiKey = opts.apiKey === undefined ? sandbox.apiKey : opts.apiKey;
  const version = opts.version === undefined ? '2.4' : opts.version;
  if (apiKey !== null) headers['X-API-KEY'] = apiKey;
  if (version !== null) headers['X-API-VERSION'] = version;
  if (opts.body !== undefined && headers['Content-Type'] === undefined) headers['Content-Type'] = 'application/json';
  const res = await request(`${sandbox.url}${path}`, { method: method as 'GET', headers, body: opts.body ?? null });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, json: JSON.parse(text) as any };
}

const get = (id: string, opts?: CallOptions, query = '') => call('GET', `/payments/${id}${query}`, opts);
const cancel = (id: string, opts?: CallOptions) => call('POST', `/payments/${id}/cancel`, opts);

function expectPrimerError(res: { json: any }, errorId: string) {
  expect(res.json.error.errorId).toBe(errorId);
  expect(res.json.error.description).toEqual(expect.any(String));
  expect(res.json.error.diagnosticsId).toMatch(/^\d+$/);
}

describe('Primer sandbox: seed', () => {
  it('has every status, the unknown one, and the awkward currencies', () => {
    const statuses = new Set(PRIMER_SEED.map((p) => p['status']));
    for (const status of ['PENDING', 'AUTHORIZED', 'SETTLING', 'PARTIALLY_SETTLED', 'SETTLED', 'DECLINED', 'FAILED',
      'CANCELLED', 'REFUND_PENDING']) {
      expect(statuses).toContain(status);
    }
    const currencies = new Set(PRIMER_SEED.map((p) => p['currencyCode']));
    for (const c of ['USD', 'EUR', 'JPY', 'KWD', 'THB', 'IQD', 'IDR']) expect(currencies).toContain(c);
    expect(PRIMER_SEED.find((p) => p['id'] === PRIMER_SEED_IDS.authorizedIdr)!['amount']).toBe(450000000000);
    expect(PRIMER_SEED.find((p) => p['id'] === PRIMER_SEED_IDS.pendingThreeDsEur)!['requiredAction']).toMatchObject({
      name: '3DS_AUTHENTICATION',
    });
    expect(new Set(PRIMER_SEED.map((p) => p['id'])).size).toBe(PRIMER_SEED.length);
  });
});

describe('Primer sandbox: GET /payments/{id}', () => {
  it('answers the 2.4 shape, without transaction events unless expanded', async () => {
    const res = await get(PRIMER_SEED_IDS.authorizedEur);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.json).toMatchObject({
      id: 'kHdEw9EG',
      status: 'AUTHORIZED',
      currencyCode: 'EUR',
      amount: 42,
      date: '2021-02-21T15:36:16.367687',
      dateUpdated: '2021-02-21T15:36:17.133701',
      processor: { name: 'STRIPE', processorMerchantId: 'acct_sandbox_1234', amountCaptured: 0, amountRefunded: 0 },
      paymentMethod: { paymentMethodType: 'PAYMENT_CARD', paymentMethodData: { first6Digits: '411111', last4Digits: '1111' } },
      customer: { emailAddress: expect.stringContaining('@') },
    });
    expect(res.json.transactions[0]).toMatchObject({ transactionType: 'SALE', processorStatus: 'AUTHORIZED' });
    expect(res.json.transactions[0]).not.toHaveProperty('events');
  });

  it.each(['?expand=transactions.events', '?expand=transactions.events&expand=transactions.events'])(
    'includes events with %s',
    async (query) => {
      const res = await get(PRIMER_SEED_IDS.cancelledUsd, {}, query);
      expect(res.status).toBe(200);
      const events = res.json.transactions[0].events;
      expect(events.map((e: any) => e.type)).toEqual(['AUTHORIZATION_SUCCEEDED', 'CANCELLATION_SUCCEEDED']);
      expect(events[0].id).toMatch(UUID);
    },
  );

  it('rejects an unknown expand value with 422', async () => {
    const res = await get(PRIMER_SEED_IDS.authorizedEur, {}, '?expand=events');
    expect(res.status).toBe(422);
    expectPrimerError(res, 'RequestValidationError');
    expect(res.json.error.validationErrors[0].errors[0].path).toBe('$.expand[0]');
  });

  it('answers a missing payment with 400 PaymentError', async () => {
    const res = await get('nOtThErE');
    expect(res.status).toBe(400);
    expectPrimerError(res, 'PaymentError');
    expect(res.json.error.description).toBe('The payment could not be found');
  });

  it('mixes zone-less and Z timestamps like the real API', async () => {
    expect((await get(PRIMER_SEED_IDS.pendingThb)).json.date).toMatch(ZONELESS);
    expect((await get(PRIMER_SEED_IDS.settledUsd)).json.date).toMatch(/Z$/);
  });
});

describe('Primer sandbox: authentication and versions', () => {
  it('rejects a wrong key and a missing key with 401', async () => {
    for (const apiKey of ['sandbox_primer_kez', null]) {
      const res = await get(PRIMER_SEED_IDS.authorizedEur, { apiKey });
      expect(res.status).toBe(401);
      expectPrimerError(res, 'Unauthorized');
      expect(JSON.stringify(res.json)).not.toContain(sandbox.apiKey);
    }
  });

  it('reads the key header case-insensitively', async () => {
    const res = await get(PRIMER_SEED_IDS.authorizedEur, { apiKey: null, headers: { 'x-Api-Key': sandbox.apiKey } });
    expect(res.status).toBe(200);
  });

  it.each([[null], ['2.1']])('answers the old v2 shape for version %s', async (version) => {
    const res = await get(PRIMER_SEED_IDS.authorizedEur, { version });
    expect(res.status).toBe(200);
    expect(res.json).not.toHaveProperty('dateUpdated');
    expect(res.json.processor).toEqual({ name: 'STRIPE', processor_merchant_id: 'acct_sandbox_1234', amountCaptured: 0, amountRefunded: 0 });
  });

  it.each(['2.2', '2.3', '2.4'])('answers the 2.4 shape for version %s', async (version) => {
    const res = await get(PRIMER_SEED_IDS.authorizedEur, { version });
    expect(res.json.dateUpdated).toBe('2021-02-21T15:36:17.133701');
    expect(res.json.processor.processorMerchantId).toBe('acct_sandbox_1234');
  });

  it.each(['9.9', '2.5', 'latest', ''])('rejects version %j with 400 InvalidApiVersion', async (version) => {
    const res = await get(PRIMER_SEED_IDS.authorizedEur, { version });
    expect(res.status).toBe(400);
    expectPrimerError(res, 'InvalidApiVersion');
  });

  it('answers an unknown route 404 and a wrong method 405, FastAPI style', async () => {
    for (const path of [`/payments/${PRIMER_SEED_IDS.authorizedEur}/void`, `/v2/payments/${PRIMER_SEED_IDS.authorizedEur}`, `//payments/${PRIMER_SEED_IDS.authorizedEur}`]) {
      const unknown = await call('GET', path);
      expect(unknown.status, path).toBe(404);
      expect(unknown.json).toEqual({ detail: 'Not Found' });
    }
    const wrongMethod = await call('GET', `/payments/${PRIMER_SEED_IDS.authorizedEur}/cancel`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.json).toEqual({ detail: 'Method Not Allowed' });
  });
});

describe('Primer sandbox: cancel', () => {
  it('cancels an AUTHORIZED payment: status, dateUpdated, SALE transaction, reason', async () => {
    const res = await cancel(PRIMER_SEED_IDS.authorizedUsd, { body: JSON.stringify({ reason: 'Customer cancelled order #1000.' }) });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: PRIMER_SEED_IDS.authorizedUsd, status: 'CANCELLED', dateUpdated: NOW_ZONELESS });
    expect(res.json.transactions[0]).toMatchObject({ processorStatus: 'CANCELLED', reason: 'Customer cancelled order #1000.' });
    expect(res.json.transactions[0]).not.toHaveProperty('events');

    const read = await get(PRIMER_SEED_IDS.authorizedUsd, {}, '?expand=transactions.events');
    expect(read.json.status).toBe('CANCELLED');
    const last = read.json.transactions[0].events.at(-1);
    expect(last).toMatchObject({ type: 'CANCELLATION_SUCCEEDED', date: NOW_ZONELESS });
    expect(last.id).toMatch(UUID);
  });

  it('includes events when the body asks for them', async () => {
    const res = await cancel(PRIMER_SEED_IDS.authorizedJpy, { body: '{"expand":["transactions.events"]}' });
    expect(res.status).toBe(200);
    expect(res.json.amount).toBe(5000);
    expect(res.json.transactions[0].events.map((e: any) => e.type)).toEqual(['AUTHORIZATION_SUCCEEDED', 'CANCELLATION_SUCCEEDED']);
  });

  it.each([
    ['PENDING', PRIMER_SEED_IDS.pendingThb, undefined],
    ['PENDING with a required action', PRIMER_SEED_IDS.pendingThreeDsEur, '{}'],
    ['AUTHORIZED beyond 2^31', PRIMER_SEED_IDS.authorizedIdr, '{"expand":null}'],
  ])('cancels a %s payment (body %s)', async (_what, id, body) => {
    const res = await cancel(id, body === undefined ? {} : { body });
    expect(res.status).toBe(200);
    expect(res.json.status).toBe('CANCELLED');
    expect(res.json).not.toHaveProperty('requiredAction');
    expect(res.json.transactions[0]).not.toHaveProperty('reason');
  });

  it.each([
    ['SETTLING', PRIMER_SEED_IDS.settlingUsd],
    ['PARTIALLY_SETTLED', PRIMER_SEED_IDS.partiallySettledEur],
    ['SETTLED', PRIMER_SEED_IDS.settledUsd],
    ['DECLINED', PRIMER_SEED_IDS.declinedUsd],
    ['FAILED', PRIMER_SEED_IDS.failedEur],
    ['CANCELLED', PRIMER_SEED_IDS.cancelledUsd],
    ['REFUND_PENDING', PRIMER_SEED_IDS.unknownStatusEur],
  ])('refuses to cancel a %s payment with 400 InvalidPaymentStatus', async (status, id) => {
    const before = sandbox.getPayment(id);
    const res = await cancel(id);
    expect(res.status).toBe(400);
    expectPrimerError(res, 'InvalidPaymentStatus');
    expect(res.json.error).toMatchObject({ paymentId: id, paymentStatus: status });
    expect(sandbox.getPayment(id)).toEqual(before);
  });

  it('answers a missing payment with 400 PaymentError', async () => {
    const res = await cancel('nOtThErE', { body: '{}' });
    expect(res.status).toBe(400);
    expectPrimerError(res, 'PaymentError');
  });

  it.each([
    ['invalid JSON', '{"reason":', '$'],
    ['an array', '["x"]', '$'],
    ['a string', '"cancel"', '$'],
    ['an unknown property', '{"reason":"x","foo":1}', '$.foo'],
    ['a non-string reason', '{"reason":42}', '$.reason'],
    ['a non-list expand', '{"expand":"transactions.events"}', '$.expand'],
    ['an unknown expand value', '{"expand":["transactions"]}', '$.expand[0]'],
  ])('rejects %s with 422 RequestValidationError', async (_what, body, path) => {
    const res = await cancel(PRIMER_SEED_IDS.authorizedEur, { body });
    expect(res.status).toBe(422);
    expectPrimerError(res, 'RequestValidationError');
    expect(res.json.error.validationErrors).toEqual([
      { model: 'PaymentCancelAPIRequest', errors: [{ path, description: expect.any(String) }] },
    ]);
    expect(sandbox.getPayment(PRIMER_SEED_IDS.authorizedEur)!['status']).toBe('AUTHORIZED');
  });

  it('rejects a JSON body not declared as JSON, and validates before looking the payment up', async () => {
    const plain = await cancel(PRIMER_SEED_IDS.authorizedEur, { body: '{}', headers: { 'Content-Type': 'text/plain' } });
    expect(plain.status).toBe(422);
    const missing = await cancel('nOtThErE', { body: '{"foo":1}' });
    expect(missing.status).toBe(422);
  });
});

describe('Primer sandbox: idempotency and the failed-request cap', () => {
  const withKey = (key: string): CallOptions => ({ headers: { 'X-Idempotency-Key': key } });

  it('refuses a key already used for a successful cancel, and does nothing', async () => {
    expect((await cancel(PRIMER_SEED_IDS.authorizedEur, withKey('k-1'))).status).toBe(200);
    const again = await cancel(PRIMER_SEED_IDS.authorizedEur, withKey('k-1'));
    expect(again.status).toBe(409);
    expectPrimerError(again, 'IdempotencyKeyAlreadyExists');
    expect(again.json.error).toMatchObject({
      description: 'The idempotency key "k-1" already exists for transaction',
      paymentId: PRIMER_SEED_IDS.authorizedEur,
      paymentStatus: 'CANCELLED',
    });

    const otherPayment = await cancel(PRIMER_SEED_IDS.authorizedKwd, withKey('k-1'));
    expect(otherPayment.status).toBe(409);
    expect(otherPayment.json.error.paymentId).toBe(PRIMER_SEED_IDS.authorizedEur);
    expect(sandbox.getPayment(PRIMER_SEED_IDS.authorizedKwd)!['status']).toBe('AUTHORIZED');

    expect((await cancel('nOtThErE', withKey('k-1'))).status).toBe(400);
  });

  it('does not consume a key on a failed cancel', async () => {
    expect((await cancel(PRIMER_SEED_IDS.settledUsd, withKey('k-2'))).status).toBe(400);
    expect((await cancel(PRIMER_SEED_IDS.authorizedIqd, withKey('k-2'))).status).toBe(200);
  });

  it('answers 409 PaymentRequestLimitExceeded after 100 failed cancels of one payment', async () => {
    for (let i = 0; i < 100; i += 1) {
      expect((await cancel(PRIMER_SEED_IDS.settledUsd)).status).toBe(400);
    }
    const capped = await cancel(PRIMER_SEED_IDS.settledUsd);
    expect(capped.status).toBe(409);
    expectPrimerError(capped, 'PaymentRequestLimitExceeded');
    expect((await cancel(PRIMER_SEED_IDS.declinedUsd)).status).toBe(400);

    sandbox.reset();
    expect((await cancel(PRIMER_SEED_IDS.settledUsd)).status).toBe(400);
  });

  it('reset() restores the seed, forgets keys and clears the log', async () => {
    await cancel(PRIMER_SEED_IDS.authorizedEur, withKey('k-3'));
    sandbox.reset();
    expect(sandbox.requests).toEqual([]);
    expect(sandbox.getPayment(PRIMER_SEED_IDS.authorizedEur)!['status']).toBe('AUTHORIZED');
    expect((await cancel(PRIMER_SEED_IDS.authorizedEur, withKey('k-3'))).status).toBe(200);
  });

  it('records requests with their headers and answers', async () => {
    await cancel(PRIMER_SEED_IDS.authorizedEur, { body: '{"reason":"r"}', ...withKey('k-4') });
    expect(sandbox.requests).toEqual([
      expect.objectContaining({ method: 'POST', path: `/payments/${PRIMER_SEED_IDS.authorizedEur}/cancel`, body: '{"reason":"r"}', status: 200 }),
    ]);
    expect(sandbox.requests[0]!.headers).toMatchObject({ 'x-api-key': sandbox.apiKey, 'x-api-version': '2.4', 'x-idempotency-key': 'k-4' });
  });
});
