import { createHmac } from 'node:crypto';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHmacSandbox, HMAC_SEED, HMAC_SEED_IDS, type HmacSandbox } from '../../src/sandboxes/index.js';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0, 250);
const NOW_ISO = '2025-01-15T12:00:00.250Z';

/** The fields of `data`, in the order the provider's cancel document lists them. */
const DOCUMENT_FIELDS = [
  'id', 'amount', 'currency', 'status', 'paymentMethod', 'referenceId', 'description', 'metadata',
  'clientSecret', 'nextAction', 'confirmedAt', 'capturedAt', 'canceledAt', 'expiresAt', 'createdAt', 'updatedAt',
];

function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

interface CallOptions {
  body?: string;
  /** The body the signature is computed over, when it differs from what is sent. */
  signedBody?: string;
  timestamp?: string;
  apiKey?: string;
  secret?: string;
  headers?: Record<string, string | undefined>;
}

let sandbox: HmacSandbox;

beforeEach(async () => {
  sandbox = await createHmacSandbox({ now: () => NOW });
});
afterEach(async () => {
  await sandbox.close();
});

async function call(method: string, path: string, opts: CallOptions = {}) {
  const body = opts.body ?? '';
  const timestamp = opts.timestamp ?? String(NOW);
  const headers: Record<string, string> = {
    'X-API-Key': opts.apiKey ?? sandbox.apiKey,
    'X-Timestamp': timestamp,
    'X-Signature': signature(opts.secret ?? sandbox.apiSecret, timestamp, opts.signedBody ?? body),
  };
  for (const [name, value] of Object.entries(opts.headers ?? {})) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  const res = await request(`${sandbox.url}${path}`, { method: method as 'GET', headers, body: body === '' ? null : body });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, json: JSON.parse(text) as any };
}

const paymentPath = (id: string) => `/api/v1/payments/${id}`;
const cancelPath = (id: string) => `/api/v1/payments/${id}/cancel`;

describe('HMAC sandbox: reading a payment', () => {
  it('answers the documented envelope with exactly the documented fields', async () => {
    const res = await call('GET', paymentPath(HMAC_SEED_IDS.requiresActionThb));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json.success).toBe(true);
    expect(Object.keys(res.json.data)).toEqual(DOCUMENT_FIELDS);
    expect(res.json.data).toMatchObject({
      id: '550e8400-e29b-41d4-a716-446655440000',
      amount: '1000.00',
      currency: 'THB',
      status: 'requires_action',
      paymentMethod: 'promptpay',
      referenceId: 'order-12345',
      metadata: { order_id: '12345' },
      createdAt: '2024-01-01T00:00:00.000Z',
    });
    expect(res.json.data.clientSecret).toEqual(expect.any(String));
    expect(res.json.data.nextAction).toEqual(expect.any(Object));
  });

  it('seeds every status, the unknown one and the awkward currencies', () => {
    const statuses = new Set(HMAC_SEED.map((p) => p.status));
    for (const status of ['requires_payment_method', 'requires_confirmation', 'requires_action', 'processing',
      'requires_capture', 'succeeded', 'canceled', 'expired', 'payment_failed', 'on_hold']) {
      expect(statuses).toContain(status);
    }
    const amounts = Object.fromEntries(HMAC_SEED.map((p) => [`${p.currency} ${p.amount}`, p.status]));
    expect(Object.keys(amounts)).toEqual(expect.arrayContaining(['USD 12.34', 'JPY 500', 'KWD 1.234', 'THB 30000000.00', 'IDR 45000000000.00']));
    expect(HMAC_SEED.some((p) => p.description === null)).toBe(true);
    expect(new Set(HMAC_SEED.map((p) => p.id)).size).toBe(HMAC_SEED.length);
  });

  it('answers 404 RESOURCE_NOT_FOUND for a missing payment', async () => {
    const res = await call('GET', paymentPath('00000000-0000-4000-8000-000000000000'));
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ success: false, error: { code: 'RESOURCE_NOT_FOUND', message: 'Payment not found' } });
  });

  it('answers an unknown route with NOT_FOUND and a wrong method with 405', async () => {
    for (const path of ['/api/v1/refunds/abc', `/${paymentPath(HMAC_SEED_IDS.requiresCaptureThb)}`, '/api/v1/payments/']) {
      const unknown = await call('GET', path);
      expect(unknown.status, path).toBe(404);
      expect(unknown.json.error.code).toBe('NOT_FOUND');
    }
    const wrongMethod = await call('GET', cancelPath(HMAC_SEED_IDS.requiresCaptureThb));
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.json.success).toBe(false);
    expect(wrongMethod.headers['allow']).toBe('POST');
  });

  it('serves a planted raw payment verbatim and hands out copies', async () => {
    const odd = { id: 'odd-1', amount: '1e3', currency: 'THB', status: 'weird_status', extra: [1, 2] };
    sandbox.putPayment(odd);
    const res = await call('GET', paymentPath('odd-1'));
    expect(res.json.data).toEqual(odd);
    const copy = sandbox.getPayment('odd-1')!;
    copy['status'] = 'mutated';
    expect(sandbox.getPayment('odd-1')!['status']).toBe('weird_status');
    expect(sandbox.getPayment('nope')).toBeUndefined();
    expect(() => sandbox.putPayment({ amount: '1.00' })).toThrow(/id/);
  });
});

describe('HMAC sandbox: authentication', () => {
  const path = paymentPath(HMAC_SEED_IDS.requiresCaptureThb);

  it.each(['X-API-Key', 'X-Timestamp', 'X-Signature'])('rejects a request without %s', async (header) => {
    const res = await call('GET', path, { headers: { [header]: undefined } });
    expect(res.status).toBe(401);
    expect(res.json.success).toBe(false);
    expect(res.json.error.code).toBe('UNAUTHORIZED');
    expect(res.json.error.message).toContain(header);
  });

  it('rejects a wrong API key', async () => {
    const res = await call('GET', path, { apiKey: 'sandbox_hmac_kez' });
    expect(res.status).toBe(401);
    expect(res.json.error).toEqual({ code: 'UNAUTHORIZED', message: 'Invalid API key' });
  });

  it('accepts a timestamp at the edge of the window and rejects one just outside, either way', async () => {
    expect((await call('GET', path, { timestamp: String(NOW - 300_000) })).status).toBe(200);
    expect((await call('GET', path, { timestamp: String(NOW + 300_000) })).status).toBe(200);
    for (const stale of [NOW - 300_001, NOW + 300_001]) {
      const res = await call('GET', path, { timestamp: String(stale) });
      expect(res.status).toBe(401);
      expect(res.json.error.message).toBe('Request timestamp outside the allowed window');
    }
  });

  it('rejects a timestamp in seconds and one that is not digits', async () => {
    const seconds = await call('GET', path, { timestamp: String(Math.floor(NOW / 1000)) });
    expect(seconds.status).toBe(401);
    const iso = await call('GET', path, { timestamp: NOW_ISO });
    expect(iso.status).toBe(401);
    expect(iso.json.error.code).toBe('UNAUTHORIZED');
  });

  it('honours a custom tolerance', async () => {
    const strict = await createHmacSandbox({ now: () => NOW, timestampToleranceMs: 1000 });
    try {
      const ts = String(NOW - 1001);
      const res = await request(`${strict.url}${path}`, {
        headers: { 'x-api-key': strict.apiKey, 'x-timestamp': ts, 'x-signature': signature(strict.apiSecret, ts, '') },
      });
      expect(res.statusCode).toBe(401);
      await res.body.text();
    } finally {
      await strict.close();
    }
  });

  it('rejects a signature made with another secret, without revealing the expected one', async () => {
    const res = await call('GET', path, { secret: 'not-the-secret' });
    expect(res.status).toBe(401);
    expect(res.json.error).toEqual({ code: 'UNAUTHORIZED', message: 'Invalid signature' });
    const expected = signature(sandbox.apiSecret, String(NOW), '').slice('sha256='.length);
    expect(res.text).not.toContain(expected);
    expect(res.text).not.toContain(sandbox.apiSecret);
  });

  it('accepts only `sha256=` with lower-case hex', async () => {
    const good = signature(sandbox.apiSecret, String(NOW), '');
    const variants = [good.toUpperCase(), `sha256=${good.slice(7).toUpperCase()}`, good.slice(7), `${good}0`, `sha1=${good.slice(7)}`];
    for (const variant of variants) {
      const res = await call('GET', path, { headers: { 'X-Signature': variant } });
      expect(res.status, variant).toBe(401);
    }
  });

  it('rejects a body changed after signing, and a body left out of the signature', async () => {
    const tampered = await call('POST', cancelPath(HMAC_SEED_IDS.requiresCaptureThb), {
      body: '{"reason":"customer asked"}',
      signedBody: '{"reason":"customer asked!"}',
    });
    expect(tampered.status).toBe(401);
    expect(tampered.json.error.message).toBe('Invalid signature');
    const unsigned = await call('POST', cancelPath(HMAC_SEED_IDS.requiresCaptureThb), { body: '{}', signedBody: '' });
    expect(unsigned.status).toBe(401);
    expect(sandbox.getPayment(HMAC_SEED_IDS.requiresCaptureThb)!['status']).toBe('requires_capture');
  });

  it('uses the credentials it was given', async () => {
    const custom = await createHmacSandbox({ apiKey: 'k1', apiSecret: 's1' });
    try {
      expect(custom.apiKey).toBe('k1');
      expect(custom.apiSecret).toBe('s1');
      const ts = String(Date.now());
      const res = await request(`${custom.url}${path}`, {
        headers: { 'x-api-key': 'k1', 'x-timestamp': ts, 'x-signature': signature('s1', ts, '') },
      });
      expect(res.statusCode).toBe(200);
      await res.body.text();
    } finally {
      await custom.close();
    }
  });
});

describe('HMAC sandbox: cancel', () => {
  it.each([
    ['requires_payment_method', HMAC_SEED_IDS.requiresPaymentMethodThb],
    ['requires_confirmation', HMAC_SEED_IDS.requiresConfirmationThb],
    ['requires_action', HMAC_SEED_IDS.requiresActionThb],
    ['processing', HMAC_SEED_IDS.processingThb],
    ['requires_capture', HMAC_SEED_IDS.requiresCaptureThb],
  ])('cancels a %s payment', async (_status, id) => {
    const before = sandbox.getPayment(id)!;
    const res = await call('POST', cancelPath(id));
    expect(res.status).toBe(200);
    expect(Object.keys(res.json.data)).toEqual(DOCUMENT_FIELDS);
    expect(res.json.data).toEqual({
      ...before,
      status: 'canceled',
      clientSecret: null,
      nextAction: null,
      canceledAt: NOW_ISO,
      updatedAt: NOW_ISO,
    });
    const after = await call('GET', paymentPath(id));
    expect(after.json.data.status).toBe('canceled');
  });

  it.each([
    ['succeeded', HMAC_SEED_IDS.succeededThb, 'Payment cannot be cancelled because it has already been completed'],
    ['canceled', HMAC_SEED_IDS.canceledThb, 'Payment cannot be cancelled because it has already been cancelled'],
    ['expired', HMAC_SEED_IDS.expiredThb, 'Payment cannot be cancelled because it has expired'],
    ['payment_failed', HMAC_SEED_IDS.paymentFailedThb, 'Payment cannot be cancelled because it has already failed'],
    ['on_hold (unknown)', HMAC_SEED_IDS.unknownStatusThb, 'Payment cannot be cancelled because its status is "on_hold"'],
  ])('refuses to cancel a %s payment with 400 VALIDATION_ERROR', async (_status, id, message) => {
    const before = sandbox.getPayment(id);
    const res = await call('POST', cancelPath(id));
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ success: false, error: { code: 'VALIDATION_ERROR', message } });
    expect(sandbox.getPayment(id)).toEqual(before);
  });

  it('refuses a second cancel of the same payment', async () => {
    expect((await call('POST', cancelPath(HMAC_SEED_IDS.requiresCaptureUsd))).status).toBe(200);
    const again = await call('POST', cancelPath(HMAC_SEED_IDS.requiresCaptureUsd));
    expect(again.status).toBe(400);
    expect(again.json.error.message).toContain('already been cancelled');
  });

  it('answers 404 RESOURCE_NOT_FOUND when cancelling a missing payment', async () => {
    const res = await call('POST', cancelPath('6b1c1f0e-0000-4000-8000-000000000000'));
    expect(res.status).toBe(404);
    expect(res.json.error).toEqual({ code: 'RESOURCE_NOT_FOUND', message: 'Payment not found' });
  });

  it('accepts and ignores a signed body', async () => {
    const res = await call('POST', cancelPath(HMAC_SEED_IDS.requiresCaptureLargeThb), {
      body: JSON.stringify({ reason: 'requested_by_customer', amount: 1 }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({ status: 'canceled', amount: '30000000.00', currency: 'THB' });
  });

  it('cancels a planted payment with odd data without touching its other fields', async () => {
    sandbox.putPayment({ id: 'planted', status: 'processing', amount: 'NaN' });
    const res = await call('POST', cancelPath('planted'));
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({ id: 'planted', status: 'canceled', amount: 'NaN', canceledAt: NOW_ISO });
  });
});

describe('HMAC sandbox: log and reset', () => {
  it('records each API request with lower-cased headers, raw body and the status answered', async () => {
    await call('POST', cancelPath(HMAC_SEED_IDS.succeededThb), { body: '{"x":1}' });
    await call('GET', `${paymentPath(HMAC_SEED_IDS.succeededThb)}?trace=1`, { apiKey: 'wrong' });
    expect(sandbox.requests).toHaveLength(2);
    const [cancel, read] = sandbox.requests;
    expect(cancel).toMatchObject({ method: 'POST', path: cancelPath(HMAC_SEED_IDS.succeededThb), body: '{"x":1}', status: 400 });
    expect(cancel!.headers['x-api-key']).toBe(sandbox.apiKey);
    expect(cancel!.headers['x-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(read).toMatchObject({ method: 'GET', path: `${paymentPath(HMAC_SEED_IDS.succeededThb)}?trace=1`, body: '', status: 401 });
    sandbox.clearRequests();
    expect(sandbox.requests).toEqual([]);
  });

  it('reset() restores the seed and clears the log', async () => {
    await call('POST', cancelPath(HMAC_SEED_IDS.requiresCaptureThb));
    sandbox.putPayment({ id: 'planted', status: 'processing' });
    sandbox.reset();
    expect(sandbox.requests).toEqual([]);
    expect(sandbox.getPayment('planted')).toBeUndefined();
    const res = await call('GET', paymentPath(HMAC_SEED_IDS.requiresCaptureThb));
    expect(res.json.data.status).toBe('requires_capture');
  });
});
