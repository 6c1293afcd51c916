import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HMAC_SEED_IDS, PRIMER_SEED_IDS } from '../../src/sandboxes/index.js';
import { CANCEL_MUTATION, globalId, startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());
beforeEach(() => gw.reset());

/** The signature the HMAC document specifies, computed here independently of the gateway. */
const expectedSignature = (secret: string, timestamp: string, body: string) =>
  `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

describe('requests sent to the HMAC provider', () => {
  it('a read is a signed GET with an empty body', async () => {
    const before = Date.now();
    await gw.gql(`{ payment(id: "${globalId('HMAC', HMAC_SEED_IDS.succeededThb)}") { id } }`);
    const after = Date.now();
    expect(gw.hmac.requests).toHaveLength(1);
    const [sent] = gw.hmac.requests;
    expect(sent).toMatchObject({ method: 'GET', path: `/api/v1/payments/${HMAC_SEED_IDS.succeededThb}`, body: '', status: 200 });
    const timestamp = sent!.headers['x-timestamp']!;
    expect(timestamp).toMatch(/^\d{13}$/);
    expect(Number(timestamp)).toBeGreaterThanOrEqual(before);
    expect(Number(timestamp)).toBeLessThanOrEqual(after);
    expect(sent!.headers['x-api-key']).toBe(gw.hmac.apiKey);
    expect(sent!.headers['x-signature']).toBe(expectedSignature(gw.hmac.apiSecret, timestamp, ''));
  });

  it('a cancel is a signed POST to the documented path, with no body and no reason', async () => {
    await gw.gql(CANCEL_MUTATION, { input: { id: globalId('HMAC', HMAC_SEED_IDS.requiresCaptureThb), reason: 'customer asked', idempotencyKey: 'k-1' } });
    expect(gw.hmac.requests).toHaveLength(1);
    const [sent] = gw.hmac.requests;
    expect(sent).toMatchObject({ method: 'POST', path: `/api/v1/payments/${HMAC_SEED_IDS.requiresCaptureThb}/cancel`, body: '', status: 200 });
    expect(sent!.headers['x-signature']).toBe(expectedSignature(gw.hmac.apiSecret, sent!.headers['x-timestamp']!, ''));
    expect(JSON.stringify(sent!.headers)).not.toContain('customer asked');
  });

  it('signs every request with a fresh timestamp', async () => {
    await gw.gql(`{ payment(id: "${globalId('HMAC', HMAC_SEED_IDS.succeededThb)}") { id } }`);
    const first = Number(gw.hmac.requests[0]!.headers['x-timestamp']);
    await new Promise<void>((resolve) => {
      // Wait for the clock to move on (not for any request to finish).
      const start = Date.now();
      const tick = () => (Date.now() > start + 2 ? resolve() : setImmediate(tick));
      tick();
    });
    await gw.gql(`{ payment(id: "${globalId('HMAC', HMAC_SEED_IDS.expiredThb)}") { id } }`);
    expect(Number(gw.hmac.requests[1]!.headers['x-timestamp'])).toBeGreaterThan(first);
  });

  it('percent-encodes the payment id into the path', async () => {
    await gw.gql(`{ paymentByProviderId(provider: HMAC, providerPaymentId: "a:b") { id } }`);
    expect(gw.hmac.requests[0]!.path).toBe('/api/v1/payments/a%3Ab');
  });
});

describe('requests sent to Primer', () => {
  it('a read is GET /payments/{id} with the key and version 2.4', async () => {
    await gw.gql(`{ payment(id: "${globalId('PRIMER', PRIMER_SEED_IDS.settledUsd)}") { id } }`);
    expect(gw.primer.requests).toHaveLength(1);
    const [sent] = gw.primer.requests;
    expect(sent).toMatchObject({ method: 'GET', path: `/payments/${PRIMER_SEED_IDS.settledUsd}`, body: '', status: 200 });
    expect(sent!.headers['x-api-key']).toBe(gw.primer.apiKey);
    expect(sent!.headers['x-api-version']).toBe('2.4');
    expect(sent!.headers['x-idempotency-key']).toBeUndefined();
  });

  it('a cancel sends the reason and the idempotency key', async () => {
    await gw.gql(CANCEL_MUTATION, {
      input: { id: globalId('PRIMER', PRIMER_SEED_IDS.authorizedUsd), reason: 'Customer cancelled order #1234.', idempotencyKey: 'cancel-order-1234' },
    });
    expect(gw.primer.requests).toHaveLength(1);
    const [sent] = gw.primer.requests;
    expect(sent).toMatchObject({ method: 'POST', path: `/payments/${PRIMER_SEED_IDS.authorizedUsd}/cancel`, status: 200 });
    expect(JSON.parse(sent!.body)).toEqual({ reason: 'Customer cancelled order #1234.' });
    expect(sent!.headers['content-type']).toBe('application/json');
    expect(sent!.headers['x-api-key']).toBe(gw.primer.apiKey);
    expect(sent!.headers['x-api-version']).toBe('2.4');
    expect(sent!.headers['x-idempotency-key']).toBe('cancel-order-1234');
    // The reason reached the payment's records at Primer.
    const stored = gw.primer.getPayment(PRIMER_SEED_IDS.authorizedUsd) as { transactions: Array<{ reason?: string }> };
    expect(stored.transactions[0]?.reason).toBe('Customer cancelled order #1234.');
  });

  it('a cancel without reason or key sends an empty object and no key', async () => {
    await gw.gql(CANCEL_MUTATION, { input: { provider: 'PRIMER', providerPaymentId: PRIMER_SEED_IDS.pendingThb } });
    const [sent] = gw.primer.requests;
    expect(JSON.parse(sent!.body)).toEqual({});
    expect(sent!.headers['x-idempotency-key']).toBeUndefined();
  });
});
