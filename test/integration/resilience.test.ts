/**
 * Circuit breaker, isolation between providers, refused connections, and callers who leave.
 */
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { HMAC_SEED_IDS, PRIMER_SEED_IDS } from '../../src/sandboxes/index.js';
import { FULL_KEY } from '../support/credentials.js';
import { CANCEL_MUTATION, FAST_TIMEOUTS, globalId, startTestGateway, type TestGateway } from '../support/gateway.js';

const primerRead = (gw: TestGateway, id: string = PRIMER_SEED_IDS.settledUsd) => gw.gql(`{ payment(id: "${globalId('PRIMER', id)}") { status } }`);
const hmacRead = (gw: TestGateway) => gw.gql(`{ payment(id: "${globalId('HMAC', HMAC_SEED_IDS.succeededThb)}") { status } }`);

describe('circuit breaker', () => {
  const HALF_OPEN_AFTER = 60_000;
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ resilience: { breakerThreshold: 3, breakerHalfOpenAfterMs: HALF_OPEN_AFTER } });
  });
  afterAll(() => gw.close());
  afterEach(() => vi.useRealTimers());

  it('4xx answers never open it', async () => {
    for (let i = 0; i < 6; i += 1) expect((await primerRead(gw, 'NoSuch01')).body.data).toEqual({ payment: null });
    expect((await primerRead(gw)).body.data).toEqual({ payment: { status: 'SUCCEEDED' } });
  });

  it('counts calls, not attempts: a read retried through a 503 outage is one failure', async () => {
    gw.reset();
    gw.primer.addFault({ fault: { type: 'status', status: 503 } });
    for (let i = 0; i < 2; i += 1) expect((await primerRead(gw)).body.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
    // Two calls, three attempts each: six 503s, under a threshold of three failed calls.
    expect(gw.primer.requests).toHaveLength(6);
    gw.primer.clearFaults();
    expect((await primerRead(gw)).body.data).toEqual({ payment: { status: 'SUCCEEDED' } });
    expect(gw.primer.requests).toHaveLength(7);
    expect(gw.log.records()).not.toContainEqual(expect.objectContaining({ provider: 'PRIMER', breaker: 'open' }));
  });

  it('opens after repeated 5xx, fails fast without calling the provider, leaves the other provider alone, and closes after a good probe', async () => {
    gw.reset();
    gw.primer.addFault({ fault: { type: 'status', status: 500 } });
    for (let i = 0; i < 3; i += 1) expect((await primerRead(gw)).body.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
    expect(gw.primer.requests).toHaveLength(3);
    expect(gw.log.records()).toContainEqual(expect.objectContaining({ provider: 'PRIMER', breaker: 'open' }));

    // Open: no call reaches Primer, reads and cancels fail fast as retryable.
    const started = Date.now();
    const read = await primerRead(gw);
    const cancel = await gw.gql(CANCEL_MUTATION, { input: { id: globalId('PRIMER', PRIMER_SEED_IDS.authorizedUsd) } });
    expect(Date.now() - started).toBeLessThan(500);
    expect(read.body.errors?.[0]?.extensions).toEqual({ code: 'PROVIDER_UNAVAILABLE', provider: 'PRIMER', retryable: true, requestId: expect.any(String) });
    expect(cancel.body.data?.['cancelPayment']).toMatchObject({ __typename: 'ProviderUnavailable', provider: 'PRIMER', retryable: true });
    expect(gw.primer.requests).toHaveLength(3);

    // The other provider's breaker is its own.
    expect((await hmacRead(gw)).body.data).toEqual({ payment: { status: 'SUCCEEDED' } });

    // Primer recovers; once the breaker's wait has passed, one probe goes through and closes it.
    gw.primer.clearFaults();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + HALF_OPEN_AFTER + 1);
    expect((await primerRead(gw)).body.data).toEqual({ payment: { status: 'SUCCEEDED' } });
    expect(gw.log.records()).toContainEqual(expect.objectContaining({ provider: 'PRIMER', breaker: 'closed' }));
    expect((await primerRead(gw)).body.data).toEqual({ payment: { status: 'SUCCEEDED' } });
    expect(gw.primer.requests).toHaveLength(5);
  });

  it('a failed probe opens it again', async () => {
    gw.reset();
    gw.primer.addFault({ fault: { type: 'status', status: 500 } });
    for (let i = 0; i < 3; i += 1) await primerRead(gw);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + HALF_OPEN_AFTER + 1);
    await primerRead(gw); // the probe, answered 500
    const callsAfterProbe = gw.primer.requests.length;
    await primerRead(gw);
    expect(gw.primer.requests).toHaveLength(callsAfterProbe);
  });
});

describe('a hung provider', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.close());
  beforeEach(() => gw.reset());

  it('does not slow the other provider', async () => {
    gw.primer.addFault({ fault: { type: 'hang' } });
    const hung = Array.from({ length: 10 }, () => primerRead(gw));
    await gw.primer.waitFor((requests) => requests.length === 10);
    const started = Date.now();
    expect((await hmacRead(gw)).body.data).toEqual({ payment: { status: 'SUCCEEDED' } });
    expect(Date.now() - started).toBeLessThan(FAST_TIMEOUTS.deadlineMs / 3);
    for (const response of await Promise.all(hung)) {
      expect(response.body.errors?.[0]?.extensions).toEqual({ code: 'PROVIDER_UNAVAILABLE', provider: 'PRIMER', retryable: true, requestId: expect.any(String) });
    }
  });
});

describe('a provider that refuses connections', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    // Port 9 (discard) has no listener here: every connection is refused.
    gw = await startTestGateway({ primerBaseUrl: 'http://127.0.0.1:9' });
  });
  afterAll(() => gw.close());

  it('is retried, for a cancel too (nothing was sent), then ProviderUnavailable within the deadline', async () => {
    const started = Date.now();
    const cancel = await gw.gql(CANCEL_MUTATION, { input: { id: globalId('PRIMER', PRIMER_SEED_IDS.authorizedUsd) } });
    expect(Date.now() - started).toBeLessThan(FAST_TIMEOUTS.deadlineMs + 500);
    expect(cancel.body.data?.['cancelPayment']).toEqual({ __typename: 'ProviderUnavailable', message: expect.any(String), provider: 'PRIMER', retryable: true });
    const retries = gw.log.records().filter((r) => r['msg'] === 'retrying provider call' && r['provider'] === 'PRIMER');
    expect(retries).toHaveLength(2);
    expect(retries[0]).toMatchObject({ failure: 'connection' });
  });
});

describe('a caller who disconnects', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    // A deadline far beyond the test's own timeout: only the disconnect can end the call.
    gw = await startTestGateway({ timeouts: { connectMs: 1000, headersMs: 60_000, bodyMs: 60_000, deadlineMs: 60_000 } });
  });
  afterAll(() => gw.close());

  it.each([
    ['a read', `{ payment(id: "${globalId('PRIMER', PRIMER_SEED_IDS.settledUsd)}") { status } }`],
    ['a cancel', `mutation { cancelPayment(input: { id: "${globalId('PRIMER', PRIMER_SEED_IDS.authorizedUsd)}" }) { __typename } }`],
  ])('%s aborts the provider call', async (_name, query) => {
    gw.reset();
    gw.primer.addFault({ fault: { type: 'hang' } });
    const caller = new AbortController();
    const pending = request(gw.server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${FULL_KEY}` },
      body: JSON.stringify({ query }),
      signal: caller.signal,
    }).catch((error: unknown) => error);
    await gw.primer.waitFor((requests) => requests.length === 1);
    caller.abort();
    await pending;
    await gw.primer.waitFor((requests) => requests[0]?.clientGone === true);
    expect(gw.primer.requests).toHaveLength(1);
  });
});
