/**
 * Operations endpoints: /healthz, /readyz, /metrics.
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisLedger } from '../../src/idempotency/index.js';
import { HMAC_SEED_IDS, PRIMER_SEED_IDS } from '../../src/sandboxes/index.js';
import { CANCEL_MUTATION, globalId, startTestGateway, type TestGateway } from '../support/gateway.js';

async function get(gw: TestGateway, path: string) {
  const response = await request(`${gw.server.url}${path}`);
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

describe('healthz and readyz', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ resilience: { breakerThreshold: 1, breakerHalfOpenAfterMs: 600_000 } });
  });
  afterAll(() => gw.close());

  it('healthz answers without credentials, with a request id', async () => {
    const response = await get(gw, '/healthz');
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ status: 'ok', pid: process.pid });
    expect(response.headers['x-request-id']).toBeTruthy();
  });

  it('readyz follows the providers\' breakers: ready, degraded, then unavailable', async () => {
    expect(JSON.parse((await get(gw, '/readyz')).text)).toEqual({
      status: 'ready',
      providers: { HMAC: { breaker: 'closed' }, PRIMER: { breaker: 'closed' } },
      idempotencyLedger: 'ok',
    });
    gw.primer.addFault({ fault: { type: 'status', status: 500 } });
    await gw.gql(`{ payment(id: "${globalId('PRIMER', PRIMER_SEED_IDS.settledUsd)}") { id } }`);
    const degraded = await get(gw, '/readyz');
    expect(degraded.status).toBe(200);
    expect(JSON.parse(degraded.text)).toMatchObject({ status: 'degraded', providers: { PRIMER: { breaker: 'open' }, HMAC: { breaker: 'closed' } } });
    gw.hmac.addFault({ fault: { type: 'status', status: 500 } });
    await gw.gql(`{ payment(id: "${globalId('HMAC', HMAC_SEED_IDS.succeededThb)}") { id } }`);
    const down = await get(gw, '/readyz');
    expect(down.status).toBe(503);
    expect(JSON.parse(down.text)).toMatchObject({ status: 'unavailable' });
  });
});

describe('readyz with an unreachable Redis', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ ledger: createRedisLedger({ url: 'redis://127.0.0.1:6392', keyPrefix: 'test:ops:' }) });
  });
  afterAll(() => gw.close());

  it('is 503', async () => {
    const response = await get(gw, '/readyz');
    expect(response.status).toBe(503);
    expect(JSON.parse(response.text)).toMatchObject({ status: 'unavailable', idempotencyLedger: 'unreachable' });
  });
});

describe('metrics', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.close());

  it('count requests by operation and outcome, provider calls by provider and outcome, with latency, and breaker states', async () => {
    await gw.gql(`query ReadOne { payment(id: "${globalId('PRIMER', PRIMER_SEED_IDS.settledUsd)}") { id } }`);
    await gw.gql(CANCEL_MUTATION, { input: { id: globalId('HMAC', HMAC_SEED_IDS.requiresCaptureThb) } });
    await gw.gql('query Broken { nope }');
    const response = await get(gw, '/metrics');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    const text = response.text;
    expect(text).toMatch(/gateway_graphql_request_duration_seconds_count\{operation="ReadOne",type="query",outcome="ok"\} 1/);
    expect(text).toMatch(/gateway_graphql_request_duration_seconds_count\{operation="Cancel",type="mutation",outcome="ok"\} 1/);
    expect(text).toMatch(/gateway_graphql_request_duration_seconds_bucket\{le="0\.5",operation="ReadOne",type="query",outcome="ok"\} 1/);
    expect(text).toMatch(/gateway_provider_call_duration_seconds_count\{provider="PRIMER",method="GET",outcome="2xx"\} 1/);
    expect(text).toMatch(/gateway_provider_call_duration_seconds_count\{provider="HMAC",method="POST",outcome="2xx"\} 1/);
    expect(text).toMatch(/gateway_provider_breaker_state\{provider="HMAC"\} 0/);
    expect(text).toMatch(/gateway_process_resident_memory_bytes/);
  });
});

describe('caching', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.close());

  it('no GraphQL answer may be stored by a browser or a proxy: success, error or refusal', async () => {
    const read = await gw.gql(`{ payment(id: "${globalId('PRIMER', PRIMER_SEED_IDS.settledUsd)}") { id } }`);
    const refused = await gw.gql('{ payment(id: "x") { id } }', undefined, { credential: null });
    const invalid = await gw.gql('{ nope }');
    for (const response of [read, refused, invalid]) expect(response.headers['cache-control']).toBe('no-store');
    expect([read.status, refused.status, invalid.status]).toEqual([200, 401, 400]);
  });
});
