/**
 * The sandbox options a load test uses (bench/sandbox.ts): no request log, payments made on
 * first touch (bounded), Primer's idempotency keys bounded. Defaults stay as they were.
 */
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { hmacAuthHeaders } from '../../src/providers/hmac/signing.js';
import { PaymentStore } from '../../src/sandboxes/payment-store.js';
import {
  createHmacSandbox,
  createPrimerSandbox,
  HMAC_SEED,
  HMAC_SEED_IDS,
  PRIMER_SEED,
  PRIMER_SEED_IDS,
  type SandboxControl,
} from '../../src/sandboxes/index.js';

const open: SandboxControl[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((sandbox) => sandbox.close()));
});

const authorized = PRIMER_SEED.find((p) => p['id'] === PRIMER_SEED_IDS.authorizedUsd)!;

async function primer(options: Parameters<typeof createPrimerSandbox>[0]) {
  const sandbox = await createPrimerSandbox(options);
  open.push(sandbox);
  const call = async (method: 'GET' | 'POST', path: string, key?: string) => {
    const headers: Record<string, string> = { 'x-api-key': sandbox.apiKey, 'x-api-version': '2.4' };
    if (method === 'POST') headers['content-type'] = 'application/json';
    if (key) headers['x-idempotency-key'] = key;
    const res = await request(`${sandbox.url}${path}`, { method, headers, body: method === 'POST' ? '{}' : null });
    return { status: res.statusCode, json: (await res.body.json()) as any };
  };
  return { sandbox, call };
}

describe('sandbox options for load tests', () => {
  it('records requests by default and not when recording is off', async () => {
    const recording = await primer({});
    await recording.call('GET', `/payments/${PRIMER_SEED_IDS.authorizedUsd}`);
    expect(recording.sandbox.requests).toHaveLength(1);

    const quiet = await primer({ recordRequests: false });
    const res = await quiet.call('GET', `/payments/${PRIMER_SEED_IDS.authorizedUsd}`);
    expect(res.status).toBe(200);
    expect(quiet.sandbox.requests).toEqual([]);
  });

  it('makes a payment on first touch, which then behaves like any other', async () => {
    const { sandbox, call } = await primer({ createPayment: (id) => (id.startsWith('bench-') ? { ...authorized, id } : undefined) });
    const read = await call('GET', '/payments/bench-1');
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ id: 'bench-1', status: 'AUTHORIZED', amount: 1000, currencyCode: 'USD' });
    expect((await call('POST', '/payments/bench-2/cancel', 'k-1')).json).toMatchObject({ id: 'bench-2', status: 'CANCELLED' });
    expect(sandbox.getPayment('bench-2')!['status']).toBe('CANCELLED');
    // Ids the factory declines stay unknown.
    expect((await call('GET', '/payments/other-1')).json.error.errorId).toBe('PaymentError');
  });

  it('keeps only the newest created payments, and makes a forgotten one anew', () => {
    const store = new PaymentStore([{ id: 'seeded' }], { create: (id) => ({ id, status: 'AUTHORIZED' }), maxCreated: 2 });
    store.find('a')!['status'] = 'CANCELLED';
    store.find('b');
    store.find('c'); // forgets a
    expect(store.copy('a')).toBeUndefined();
    expect(store.copy('b')).toEqual({ id: 'b', status: 'AUTHORIZED' });
    expect(store.find('a')).toEqual({ id: 'a', status: 'AUTHORIZED' });
    expect(store.copy('seeded')).toEqual({ id: 'seeded' }); // the seed is never forgotten
    store.reset();
    expect(store.copy('b')).toBeUndefined();
  });

  it('forgets the oldest Primer idempotency keys past maxIdempotencyKeys, and remembers every key by default', async () => {
    const create = (id: string) => ({ ...authorized, id });
    const bounded = await primer({ createPayment: create, maxIdempotencyKeys: 1 });
    await bounded.call('POST', '/payments/bench-1/cancel', 'key-1');
    await bounded.call('POST', '/payments/bench-2/cancel', 'key-2'); // forgets key-1
    expect((await bounded.call('POST', '/payments/bench-3/cancel', 'key-1')).status).toBe(200);
    expect((await bounded.call('POST', '/payments/bench-4/cancel', 'key-1')).json.error.errorId).toBe('IdempotencyKeyAlreadyExists');

    const unbounded = await primer({ createPayment: create });
    await unbounded.call('POST', '/payments/bench-1/cancel', 'key-1');
    await unbounded.call('POST', '/payments/bench-2/cancel', 'key-2');
    expect((await unbounded.call('POST', '/payments/bench-3/cancel', 'key-1')).json.error.errorId).toBe('IdempotencyKeyAlreadyExists');
  });

  it('HMAC: recording off and payments on first touch', async () => {
    const template = HMAC_SEED.find((p) => p.id === HMAC_SEED_IDS.requiresCaptureThb)!;
    const sandbox = await createHmacSandbox({ recordRequests: false, createPayment: (id) => ({ ...template, id }) });
    open.push(sandbox);
    const headers = hmacAuthHeaders(sandbox.apiKey, sandbox.apiSecret, Date.now(), '');
    const res = await request(`${sandbox.url}/api/v1/payments/bench-9/cancel`, { method: 'POST', headers });
    expect(res.statusCode).toBe(200);
    expect(((await res.body.json()) as any).data).toMatchObject({ id: 'bench-9', status: 'canceled' });
    expect(sandbox.requests).toEqual([]);
  });
});
