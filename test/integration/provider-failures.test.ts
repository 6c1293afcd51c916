import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HMAC_SEED_IDS, PRIMER_SEED_IDS, type Fault } from '../../src/sandboxes/index.js';
import { CANCEL_MUTATION, FAST_TIMEOUTS, globalId, startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());
beforeEach(() => gw.reset());

const TARGETS = [
  ['HMAC', HMAC_SEED_IDS.requiresCaptureThb],
  ['PRIMER', PRIMER_SEED_IDS.authorizedUsd],
] as const;
const sandboxOf = (provider: 'HMAC' | 'PRIMER') => (provider === 'HMAC' ? gw.hmac : gw.primer);

const FAULTS: Array<[string, Fault, boolean]> = [
  ['500', { type: 'status', status: 500 }, true],
  ['502', { type: 'status', status: 502 }, true],
  ['503 with Retry-After', { type: 'status', status: 503, retryAfter: '5' }, true],
  ['504', { type: 'status', status: 504 }, true],
  ['429 with Retry-After', { type: 'status', status: 429, retryAfter: '2' }, true],
  ['malformed JSON', { type: 'malformed-json' }, true],
  ['a truncated body', { type: 'truncated' }, true],
  ['a reset connection', { type: 'reset' }, true],
  ['latency past the deadline', { type: 'latency', ms: FAST_TIMEOUTS.deadlineMs + 2000 }, true],
  ['no answer at all', { type: 'hang' }, true],
];

describe.each(TARGETS)('%s cancel when the provider fails', (provider, id) => {
  it.each(FAULTS)('%s is ProviderUnavailable (retryable: %s) within the deadline', async (_name, fault, retryable) => {
    sandboxOf(provider).addFault({ fault, times: 1 });
    const started = Date.now();
    const response = await gw.gql(CANCEL_MUTATION, { input: { id: globalId(provider, id) } });
    expect(Date.now() - started).toBeLessThan(FAST_TIMEOUTS.deadlineMs + 1000);
    expect(response.body).toEqual({
      data: { cancelPayment: { __typename: 'ProviderUnavailable', message: expect.any(String), provider, retryable } },
    });
    expect(sandboxOf(provider).requests).toHaveLength(1);
  });
});

describe.each(TARGETS)('%s read when the provider fails', (provider, id) => {
  it.each(FAULTS)('%s is null plus a PROVIDER_UNAVAILABLE error', async (_name, fault, retryable) => {
    sandboxOf(provider).addFault({ fault, times: 1 });
    const response = await gw.gql(`{ payment(id: "${globalId(provider, id)}") { id } }`);
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ payment: null });
    expect(response.body.errors).toEqual([
      { message: expect.any(String), locations: expect.any(Array), path: ['payment'], extensions: { code: 'PROVIDER_UNAVAILABLE', provider, retryable } },
    ]);
  });
});

describe('one provider down does not take the other with it', () => {
  it('payments(ids:) resolves the healthy provider and nulls the failing one', async () => {
    gw.primer.addFault({ fault: { type: 'status', status: 503 } });
    const ids = [globalId('HMAC', HMAC_SEED_IDS.succeededThb), globalId('PRIMER', PRIMER_SEED_IDS.settledUsd), globalId('HMAC', HMAC_SEED_IDS.expiredThb)];
    const response = await gw.gql('query ($ids: [ID!]!) { payments(ids: $ids) { id status } }', { ids });
    expect(response.body.data).toEqual({ payments: [{ id: ids[0], status: 'SUCCEEDED' }, null, { id: ids[2], status: 'EXPIRED' }] });
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors?.[0]).toMatchObject({ path: ['payments', 1], extensions: { code: 'PROVIDER_UNAVAILABLE', provider: 'PRIMER', retryable: true } });
  });
});

describe('failures never leak provider bodies', () => {
  it('a 500 body from the provider does not reach the caller', async () => {
    gw.primer.addFault({ fault: { type: 'malformed-json' } });
    const response = await gw.gql(`{ payment(id: "${globalId('PRIMER', PRIMER_SEED_IDS.settledUsd)}") { id } }`);
    expect(response.text).not.toMatch(/stack|at .*\.js|sandbox|diagnosticsId/i);
  });
});

describe('a gateway with the wrong credentials', () => {
  let wrong: TestGateway;
  beforeAll(async () => {
    wrong = await startTestGateway({ hmacApiSecret: 'not-the-secret', primerApiKey: 'not-the-key' });
  });
  afterAll(() => wrong.close());

  it.each(TARGETS)('%s cancel is ProviderUnavailable, not retryable, and logged as misconfiguration', async (provider, id) => {
    const response = await wrong.gql(CANCEL_MUTATION, { input: { id: globalId(provider, id) } });
    expect(response.body.data?.['cancelPayment']).toEqual({ __typename: 'ProviderUnavailable', message: expect.any(String), provider, retryable: false });
    expect(response.text).not.toMatch(/signature|api key|Unauthorized/i);
    expect(wrong.log.records()).toContainEqual(expect.objectContaining({ level: 50, provider, failure: 'misconfigured', httpStatus: 401 }));
  });

  it.each(TARGETS)('%s read is null with a non-retryable PROVIDER_UNAVAILABLE error', async (provider, id) => {
    const response = await wrong.gql(`{ payment(id: "${globalId(provider, id)}") { id } }`);
    expect(response.body.errors?.[0]?.extensions).toEqual({ code: 'PROVIDER_UNAVAILABLE', provider, retryable: false });
  });

  it('never logs the secrets it was given', () => {
    expect(wrong.log.text()).not.toContain('not-the-secret');
    expect(wrong.log.text()).not.toContain('not-the-key');
  });
});
