import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HMAC_SEED_IDS, PRIMER_SEED_IDS } from '../../src/sandboxes/index.js';
import { CANCEL_MUTATION, globalId, startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());
beforeEach(() => gw.reset());

async function cancel(input: Record<string, unknown>) {
  const response = await gw.gql(CANCEL_MUTATION, { input });
  expect(response.status).toBe(200);
  expect(response.body.errors).toBeUndefined();
  return response.body.data?.['cancelPayment'];
}

const providerCalls = () => gw.hmac.requests.length + gw.primer.requests.length;

describe('cancel succeeds', () => {
  it.each([
    ['HMAC', HMAC_SEED_IDS.requiresCaptureThb, 'requires_capture'],
    ['HMAC', HMAC_SEED_IDS.requiresPaymentMethodThb, 'requires_payment_method'],
    ['HMAC', HMAC_SEED_IDS.requiresConfirmationThb, 'requires_confirmation'],
    ['HMAC', HMAC_SEED_IDS.requiresActionThb, 'requires_action'],
    ['HMAC', HMAC_SEED_IDS.processingThb, 'processing'],
    ['PRIMER', PRIMER_SEED_IDS.authorizedUsd, 'AUTHORIZED'],
    ['PRIMER', PRIMER_SEED_IDS.pendingThb, 'PENDING'],
    ['PRIMER', PRIMER_SEED_IDS.pendingThreeDsEur, 'PENDING with a required action'],
  ] as const)('%s %s (%s) by global id', async (provider, id, _wireStatus) => {
    const result = await cancel({ id: globalId(provider, id) });
    expect(result).toMatchObject({
      __typename: 'CancelPaymentSuccess',
      alreadyCanceled: false,
      payment: { id: globalId(provider, id), status: 'CANCELED', isCancellable: false },
    });
    // The provider really holds it cancelled now.
    const read = await gw.gql(`{ payment(id: "${globalId(provider, id)}") { status } }`);
    expect(read.body.data?.['payment']).toEqual({ status: 'CANCELED' });
  });

  it('by provider and provider id, with canceledAt from the provider', async () => {
    const before = Date.now();
    const result = await cancel({ provider: 'HMAC', providerPaymentId: HMAC_SEED_IDS.requiresCaptureUsd, reason: 'duplicate order' });
    expect(result.__typename).toBe('CancelPaymentSuccess');
    expect(Date.parse(result.payment.canceledAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(result.payment.amount).toEqual({ amount: '12.34', currencyCode: 'USD', minorUnits: 1234 });
  });

  it('a cancelled payment cancelled again is a success with alreadyCanceled: true, on both providers', async () => {
    for (const [provider, id] of [['HMAC', HMAC_SEED_IDS.requiresCaptureJpy], ['PRIMER', PRIMER_SEED_IDS.authorizedJpy]] as const) {
      expect(await cancel({ id: globalId(provider, id) })).toMatchObject({ __typename: 'CancelPaymentSuccess', alreadyCanceled: false });
      expect(await cancel({ id: globalId(provider, id) })).toMatchObject({
        __typename: 'CancelPaymentSuccess',
        alreadyCanceled: true,
        payment: { status: 'CANCELED' },
      });
    }
  });

  it.each([
    ['HMAC', HMAC_SEED_IDS.canceledThb],
    ['PRIMER', PRIMER_SEED_IDS.cancelledUsd],
  ] as const)('%s payment cancelled before is alreadyCanceled: true with the current payment', async (provider, id) => {
    expect(await cancel({ id: globalId(provider, id) })).toMatchObject({
      __typename: 'CancelPaymentSuccess',
      alreadyCanceled: true,
      payment: { providerPaymentId: id, status: 'CANCELED' },
    });
  });

  /** Cancels a payment at the Primer sandbox with an idempotency key, behind the gateway's back. */
  async function cancelAtPrimerDirectly(id: string, idempotencyKey: string): Promise<void> {
    const direct = await request(`${gw.primer.url}/payments/${id}/cancel`, {
      method: 'POST',
      headers: { 'x-api-key': gw.primer.apiKey, 'x-api-version': '2.4', 'x-idempotency-key': idempotencyKey, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(direct.statusCode).toBe(200);
    await direct.body.dump();
    gw.primer.clearRequests();
  }

  it('Primer 409 IdempotencyKeyAlreadyExists for a key the gateway has no record of counts as already cancelled', async () => {
    // Another system (or this gateway before its record expired) used the key at Primer.
    await cancelAtPrimerDirectly(PRIMER_SEED_IDS.authorizedKwd, 'order-77-cancel');
    const input = { id: globalId('PRIMER', PRIMER_SEED_IDS.authorizedKwd), idempotencyKey: 'order-77-cancel' };
    expect(await cancel(input)).toMatchObject({ __typename: 'CancelPaymentSuccess', alreadyCanceled: true, payment: { status: 'CANCELED' } });
    expect(gw.primer.requests.map((r) => [r.method, r.status])).toEqual([['POST', 409], ['GET', 200]]);
  });

  it('Primer 409 IdempotencyKeyAlreadyExists naming another payment: IdempotencyKeyConflict, not recorded, the payment untouched', async () => {
    // Primer's keys are account-wide: another caller (the gateway's ledger is per caller) or
    // another system spent this key on another payment.
    await cancelAtPrimerDirectly(PRIMER_SEED_IDS.authorizedKwd, 'shared-key-1');
    const input = { id: globalId('PRIMER', PRIMER_SEED_IDS.authorizedEur), idempotencyKey: 'shared-key-1' };
    const conflict = { __typename: 'IdempotencyKeyConflict', idempotencyKey: 'shared-key-1', retryable: false };
    expect(await cancel(input)).toMatchObject(conflict);
    expect(gw.primer.getPayment(PRIMER_SEED_IDS.authorizedEur)?.['status']).toBe('AUTHORIZED');
    // Not recorded: the same request goes to Primer again (and is refused again).
    expect(await cancel(input)).toMatchObject(conflict);
    expect(gw.primer.requests.map((r) => [r.method, r.status])).toEqual([['POST', 409], ['POST', 409]]);
  });

  it('a refusal for a payment whose status still allows a cancel is retryable, not "not cancellable"', async () => {
    // HMAC answers 409 with its error envelope (a conflicting request in flight, say), yet the
    // payment read back is still requires_capture.
    gw.hmac.addFault({ fault: { type: 'status', status: 409 }, times: 1, method: 'POST' });
    const input = { id: globalId('HMAC', HMAC_SEED_IDS.requiresCaptureThb), idempotencyKey: 'refused-yet-cancellable' };
    expect(await cancel(input)).toMatchObject({ __typename: 'ProviderUnavailable', provider: 'HMAC', retryable: true });
    expect(gw.hmac.requests.map((r) => [r.method, r.status])).toEqual([['POST', 409], ['GET', 200]]);
    // Not recorded under the key: trying again cancels it.
    expect(await cancel(input)).toMatchObject({ __typename: 'CancelPaymentSuccess', alreadyCanceled: false });
  });
});

describe('cancel refused by status', () => {
  it.each([
    ['HMAC', HMAC_SEED_IDS.succeededThb, 'SUCCEEDED'],
    ['HMAC', HMAC_SEED_IDS.expiredThb, 'EXPIRED'],
    ['HMAC', HMAC_SEED_IDS.paymentFailedThb, 'FAILED'],
    ['HMAC', HMAC_SEED_IDS.unknownStatusThb, 'UNKNOWN'],
    ['PRIMER', PRIMER_SEED_IDS.settledUsd, 'SUCCEEDED'],
    ['PRIMER', PRIMER_SEED_IDS.settlingUsd, 'SETTLING'],
    ['PRIMER', PRIMER_SEED_IDS.partiallySettledEur, 'PARTIALLY_SETTLED'],
    ['PRIMER', PRIMER_SEED_IDS.declinedUsd, 'DECLINED'],
    ['PRIMER', PRIMER_SEED_IDS.failedEur, 'FAILED'],
    ['PRIMER', PRIMER_SEED_IDS.unknownStatusEur, 'UNKNOWN'],
  ] as const)('%s %s (%s) is PaymentNotCancellable with the current payment', async (provider, id, status) => {
    const result = await cancel({ id: globalId(provider, id) });
    expect(result).toMatchObject({
      __typename: 'PaymentNotCancellable',
      message: expect.stringContaining(status),
      payment: { id: globalId(provider, id), status, isCancellable: false },
    });
  });

  it('leaves the payment as it was', async () => {
    await cancel({ id: globalId('PRIMER', PRIMER_SEED_IDS.settledUsd) });
    expect(gw.primer.getPayment(PRIMER_SEED_IDS.settledUsd)?.['status']).toBe('SETTLED');
  });
});

describe('cancel of a missing payment', () => {
  it.each([
    ['HMAC', '00000000-0000-4000-8000-000000000000'],
    ['PRIMER', 'NoSuch01'],
  ] as const)('%s is PaymentNotFound', async (provider, id) => {
    expect(await cancel({ provider, providerPaymentId: id })).toEqual({
      __typename: 'PaymentNotFound',
      message: expect.any(String),
    });
  });
});

describe('invalid input never reaches a provider', () => {
  const valid = globalId('HMAC', HMAC_SEED_IDS.requiresCaptureThb);
  it.each([
    ['neither id nor provider', {}, null],
    ['both id and provider', { id: valid, provider: 'HMAC', providerPaymentId: HMAC_SEED_IDS.requiresCaptureThb }, null],
    ['both id and providerPaymentId', { id: valid, providerPaymentId: HMAC_SEED_IDS.requiresCaptureThb }, null],
    ['a malformed id', { id: 'bm90IGFuIGlk' }, 'id'],
    ['an id of an unknown provider', { id: Buffer.from('Payment:STRIPE:pi_1').toString('base64url') }, 'id'],
    ['provider without providerPaymentId', { provider: 'PRIMER' }, 'providerPaymentId'],
    ['providerPaymentId without provider', { providerPaymentId: 'abc' }, 'provider'],
    ['a path in providerPaymentId', { provider: 'PRIMER', providerPaymentId: '../admin' }, 'providerPaymentId'],
    ['an empty idempotencyKey', { id: valid, idempotencyKey: '' }, 'idempotencyKey'],
    ['an idempotencyKey over 255 characters', { id: valid, idempotencyKey: 'k'.repeat(256) }, 'idempotencyKey'],
    ['a reason over 500 characters', { id: valid, reason: 'r'.repeat(501) }, 'reason'],
  ])('%s', async (_name, input, field) => {
    expect(await cancel(input)).toEqual({ __typename: 'InvalidInput', message: expect.any(String), field });
    expect(providerCalls()).toBe(0);
  });

  it('a GraphQL-level type error is a GraphQL error, not a union member', async () => {
    const response = await gw.gql(CANCEL_MUTATION, { input: { provider: 'STRIPE', providerPaymentId: 'x' } });
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(providerCalls()).toBe(0);
  });
});

describe('Primer refuses more requests after 100 failed cancels', () => {
  it('is ProviderUnavailable, not retryable', async () => {
    const input = { id: globalId('PRIMER', PRIMER_SEED_IDS.settledUsd) };
    for (let i = 0; i < 100; i += 1) expect((await cancel(input)).__typename).toBe('PaymentNotCancellable');
    expect(await cancel(input)).toEqual({ __typename: 'ProviderUnavailable', message: expect.any(String), provider: 'PRIMER', retryable: false });
  });
});
