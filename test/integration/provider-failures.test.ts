/**
 * The fault matrix: every misbehaviour of both providers, for reads and cancels, with the
 * outcome, a bound on elapsed time and the exact number of provider calls.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RESILIENCE } from '../../src/providers/http.js';
import { HMAC_SEED_IDS, PRIMER_SEED_IDS, type Fault } from '../../src/sandboxes/index.js';
import { CANCEL_MUTATION, FAST_TIMEOUTS, globalId, startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  // The breaker is tested on its own (resilience.test.ts); here it must not open between cases.
  gw = await startTestGateway({ resilience: { breakerThreshold: 10_000 } });
});
afterAll(() => gw.close());
beforeEach(() => gw.reset());

const TARGETS = [
  ['HMAC', HMAC_SEED_IDS.requiresCaptureThb],
  ['PRIMER', PRIMER_SEED_IDS.authorizedUsd],
] as const;
const sandboxOf = (provider: 'HMAC' | 'PRIMER') => (provider === 'HMAC' ? gw.hmac : gw.primer);
const MAX = DEFAULT_RESILIENCE.maxAttempts;
const DEADLINE = FAST_TIMEOUTS.deadlineMs;

/** [name, fault, retryable, calls for a read, calls for a cancel, least elapsed ms] */
const MATRIX: Array<[string, Fault, boolean, number, number, number]> = [
  ['500', { type: 'status', status: 500 }, true, 1, 1, 0],
  ['502', { type: 'status', status: 502 }, true, MAX, 1, 0],
  ['503', { type: 'status', status: 503 }, true, MAX, MAX, 0],
  ['504', { type: 'status', status: 504 }, true, MAX, 1, 0],
  // Retry-After: 1 s is honoured; the next wait would pass the 1.5 s deadline, so two calls.
  ['429 with Retry-After: 1', { type: 'status', status: 429, retryAfter: '1' }, true, 2, 2, 1000],
  // Retry-After beyond the deadline: no retry at all.
  ['429 with Retry-After: 30', { type: 'status', status: 429, retryAfter: '30' }, true, 1, 1, 0],
  ['malformed JSON', { type: 'malformed-json' }, true, 1, 1, 0],
  ['a truncated body', { type: 'truncated' }, true, MAX, 1, 0],
  ['a reset connection', { type: 'reset' }, true, MAX, 1, 0],
  ['latency past the deadline', { type: 'latency', ms: DEADLINE + 2000 }, true, 1, 1, DEADLINE],
  ['no answer at all', { type: 'hang' }, true, 1, 1, DEADLINE],
];

describe.each(TARGETS)('%s, a provider that keeps failing', (provider, id) => {
  it.each(MATRIX)('%s: a cancel is ProviderUnavailable (retryable %s)', async (_name, fault, retryable, _readCalls, cancelCalls, least) => {
    sandboxOf(provider).addFault({ fault });
    const started = Date.now();
    const response = await gw.gql(CANCEL_MUTATION, { input: { id: globalId(provider, id) } });
    const elapsed = Date.now() - started;
    expect(response.body).toEqual({
      data: { cancelPayment: { __typename: 'ProviderUnavailable', message: expect.any(String), provider, retryable } },
    });
    expect(sandboxOf(provider).requests).toHaveLength(cancelCalls);
    expect(elapsed).toBeGreaterThanOrEqual(least - 50);
    expect(elapsed).toBeLessThan(DEADLINE + 1000);
  });

  it.each(MATRIX)('%s: a read is null plus PROVIDER_UNAVAILABLE (retryable %s)', async (_name, fault, retryable, readCalls, _cancelCalls, least) => {
    sandboxOf(provider).addFault({ fault });
    const started = Date.now();
    const response = await gw.gql(`{ payment(id: "${globalId(provider, id)}") { id } }`);
    const elapsed = Date.now() - started;
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ payment: null });
    expect(response.body.errors).toEqual([
      { message: expect.any(String), locations: expect.any(Array), path: ['payment'], extensions: { code: 'PROVIDER_UNAVAILABLE', provider, retryable, requestId: expect.any(String) } },
    ]);
    expect(sandboxOf(provider).requests).toHaveLength(readCalls);
    expect(elapsed).toBeGreaterThanOrEqual(least - 50);
    expect(elapsed).toBeLessThan(DEADLINE + 1000);
  });
});

describe.each(TARGETS)('%s, a provider that fails once', (provider, id) => {
  it.each([
    ['502', { type: 'status', status: 502 }],
    ['504', { type: 'status', status: 504 }],
    ['a reset connection', { type: 'reset' }],
    ['a truncated body', { type: 'truncated' }],
    ['429', { type: 'status', status: 429 }],
  ] as Array<[string, Fault]>)('%s: a read is retried and succeeds', async (_name, fault) => {
    sandboxOf(provider).addFault({ fault, times: 1 });
    const response = await gw.gql(`{ payment(id: "${globalId(provider, id)}") { providerPaymentId } }`);
    expect(response.body).toEqual({ data: { payment: { providerPaymentId: id } } });
    expect(sandboxOf(provider).requests.map((r) => r.method)).toEqual(['GET', 'GET']);
  });

  it.each([
    ['503', { type: 'status', status: 503 }],
    ['429', { type: 'status', status: 429 }],
  ] as Array<[string, Fault]>)('%s: a cancel the provider did not process is retried and succeeds', async (_name, fault) => {
    sandboxOf(provider).addFault({ fault, times: 1 });
    const response = await gw.gql(CANCEL_MUTATION, { input: { id: globalId(provider, id) } });
    expect(response.body.data?.['cancelPayment']).toMatchObject({ __typename: 'CancelPaymentSuccess', alreadyCanceled: false });
    expect(sandboxOf(provider).requests.map((r) => [r.method, r.status])).toEqual([['POST', fault.type === 'status' ? fault.status : 0], ['POST', 200]]);
  });

  it('502: a cancel is not retried (the provider may have processed it); the caller\'s retry reports it cancelled', async () => {
    sandboxOf(provider).addFault({ fault: { type: 'status', status: 502 }, times: 1 });
    const first = await gw.gql(CANCEL_MUTATION, { input: { id: globalId(provider, id) } });
    expect(first.body.data?.['cancelPayment']).toMatchObject({ __typename: 'ProviderUnavailable', retryable: true });
    expect(sandboxOf(provider).requests).toHaveLength(1);
    const retry = await gw.gql(CANCEL_MUTATION, { input: { id: globalId(provider, id) } });
    expect(retry.body.data?.['cancelPayment']).toMatchObject({ __typename: 'CancelPaymentSuccess', alreadyCanceled: false });
  });
});

describe('HMAC answers to a read that are not documented for one', () => {
  it('a 400 on a read is no such payment; a 409 or 422 is PROVIDER_UNAVAILABLE, never a null without error', async () => {
    const read = () => gw.gql(`{ payment(id: "${globalId('HMAC', HMAC_SEED_IDS.succeededThb)}") { id } }`);
    gw.hmac.addFault({ fault: { type: 'status', status: 400 }, times: 1 });
    expect((await read()).body).toEqual({ data: { payment: null } });
    for (const status of [409, 422]) {
      gw.hmac.addFault({ fault: { type: 'status', status }, times: 1 });
      const response = await read();
      expect(response.body.data).toEqual({ payment: null });
      expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', provider: 'HMAC', retryable: true });
    }
    expect(gw.hmac.requests.map((r) => r.status)).toEqual([400, 409, 422]);
  });
});

describe('one provider down does not take the other with it', () => {
  it('payments(ids:) resolves the healthy provider and nulls the failing one', async () => {
    gw.primer.addFault({ fault: { type: 'status', status: 500 } });
    const ids = [globalId('HMAC', HMAC_SEED_IDS.succeededThb), globalId('PRIMER', PRIMER_SEED_IDS.settledUsd), globalId('HMAC', HMAC_SEED_IDS.expiredThb)];
    const response = await gw.gql('query ($ids: [ID!]!) { payments(ids: $ids) { id status } }', { ids });
    expect(response.body.data).toEqual({ payments: [{ id: ids[0], status: 'SUCCEEDED' }, null, { id: ids[2], status: 'EXPIRED' }] });
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors?.[0]).toMatchObject({ path: ['payments', 1], extensions: { code: 'PROVIDER_UNAVAILABLE', provider: 'PRIMER', retryable: true } });
  });
});

describe('failures never leak provider bodies', () => {
  it('a malformed body from the provider does not reach the caller, and is logged with its problem', async () => {
    gw.primer.addFault({ fault: { type: 'malformed-json' } });
    const response = await gw.gql(`{ payment(id: "${globalId('PRIMER', PRIMER_SEED_IDS.settledUsd)}") { id } }`);
    expect(response.text).not.toMatch(/stack|at .*\.js|sandbox|diagnosticsId|"data":\{"id"/i);
    expect(gw.log.records()).toContainEqual(expect.objectContaining({ provider: 'PRIMER', failure: 'unreadable_response', httpStatus: 200 }));
  });
});

describe('a gateway with the wrong credentials', () => {
  let wrong: TestGateway;
  beforeAll(async () => {
    wrong = await startTestGateway({ hmacApiSecret: 'not-the-secret', primerApiKey: 'not-the-key' });
  });
  afterAll(() => wrong.close());

  it.each(TARGETS)('%s cancel is ProviderUnavailable, not retryable, sent once, and logged as misconfiguration', async (provider, id) => {
    const response = await wrong.gql(CANCEL_MUTATION, { input: { id: globalId(provider, id) } });
    expect(response.body.data?.['cancelPayment']).toEqual({ __typename: 'ProviderUnavailable', message: expect.any(String), provider, retryable: false });
    expect(response.text).not.toMatch(/signature|api key|Unauthorized/i);
    expect((provider === 'HMAC' ? wrong.hmac : wrong.primer).requests).toHaveLength(1);
    expect(wrong.log.records()).toContainEqual(expect.objectContaining({ level: 50, provider, failure: 'misconfigured', httpStatus: 401 }));
  });

  it.each(TARGETS)('%s read is null with a non-retryable PROVIDER_UNAVAILABLE error', async (provider, id) => {
    const response = await wrong.gql(`{ payment(id: "${globalId(provider, id)}") { id } }`);
    expect(response.body.errors?.[0]?.extensions).toEqual({ code: 'PROVIDER_UNAVAILABLE', provider, retryable: false, requestId: expect.any(String) });
  });

  it('never logs the secrets it was given', () => {
    expect(wrong.log.text()).not.toContain('not-the-secret');
    expect(wrong.log.text()).not.toContain('not-the-key');
  });
});
