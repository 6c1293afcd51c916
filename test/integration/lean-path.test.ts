/**
 * The lean path answers exactly what Apollo answers. Two gateways, one with the lean path and
 * one without, get the same requests against fresh sandboxes; status, content type, headers
 * that matter and bodies must be equal (request ids aside), and the lean gateway must have
 * answered the common requests itself while leaving every unusual one to Apollo.
 */
import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HMAC_SEED_IDS, PRIMER_SEED_IDS } from '../../src/sandboxes/index.js';
import { createMemoryRateLimiter } from '../../src/rate-limit/index.js';
import { CANCEL_KEY, FULL_KEY, READ_KEY } from '../support/credentials.js';
import { CANCEL_MUTATION, globalId, startTestGateway, type TestGateway } from '../support/gateway.js';

interface Exchange {
  readonly body?: unknown;
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
  readonly credential?: string | null;
  readonly method?: 'GET' | 'POST';
  readonly path?: string;
  /** Whether the lean gateway should have answered it itself. */
  readonly lean: boolean;
}

const primer = (id: string) => globalId('PRIMER', id);
const hmac = (id: string) => globalId('HMAC', id);
const READ = 'query Read($id: ID!) { payment(id: $id) { id provider providerPaymentId status providerStatus isCancellable amount { amount currencyCode minorUnits } reference description metadata createdAt updatedAt canceledAt paymentMethod statusReason { type declineType code message } } }';

/** Requests in order: some change sandbox state, so both gateways get them in the same order. */
const EXCHANGES: Array<[string, Exchange]> = [
  ['a read', { body: { query: READ, variables: { id: primer(PRIMER_SEED_IDS.authorizedUsd) } }, lean: true }],
  ['a read with operationName', { body: { query: READ, variables: { id: hmac(HMAC_SEED_IDS.succeededThb) }, operationName: 'Read' }, lean: true }],
  ['a missing payment', { body: { query: READ, variables: { id: hmac('00000000-0000-4000-8000-000000000000') } }, lean: true }],
  ['a malformed id', { body: { query: READ, variables: { id: 'nope' } }, lean: true }],
  ['payments(ids:) with nulls', { body: { query: '{ payments(ids: ["x", "' + primer(PRIMER_SEED_IDS.settledUsd) + '"]) { id status } }' }, lean: true }],
  ['node(id:)', { body: { query: `{ node(id: "${primer(PRIMER_SEED_IDS.settledUsd)}") { __typename id ... on Payment { status } } }` }, lean: true }],
  ['__typename only', { body: { query: '{ __typename }' }, lean: true }],
  ['a cancel', { body: { query: CANCEL_MUTATION, variables: { input: { id: hmac(HMAC_SEED_IDS.requiresCaptureThb), reason: 'r', idempotencyKey: 'lean-1' } } }, lean: true }],
  ['the same cancel replayed', { body: { query: CANCEL_MUTATION, variables: { input: { id: hmac(HMAC_SEED_IDS.requiresCaptureThb), reason: 'r', idempotencyKey: 'lean-1' } } }, lean: true }],
  ['a key conflict', { body: { query: CANCEL_MUTATION, variables: { input: { id: primer(PRIMER_SEED_IDS.authorizedUsd), idempotencyKey: 'lean-1' } } }, lean: true }],
  ['not cancellable', { body: { query: CANCEL_MUTATION, variables: { input: { id: primer(PRIMER_SEED_IDS.settledUsd) } } }, lean: true }],
  ['invalid input', { body: { query: CANCEL_MUTATION, variables: { input: { id: 'nope' } } }, lean: true }],
  ['a cancel-only key cancelling', { body: { query: CANCEL_MUTATION, variables: { input: { id: primer(PRIMER_SEED_IDS.authorizedEur) } } }, credential: CANCEL_KEY, lean: true }],
  // Everything below goes to Apollo.
  ['no credential', { body: { query: READ, variables: { id: primer(PRIMER_SEED_IDS.authorizedUsd) } }, credential: null, lean: false }],
  ['a wrong key', { body: { query: READ, variables: { id: primer(PRIMER_SEED_IDS.authorizedUsd) } }, credential: 'pgw_wrong', lean: false }],
  ['a read-only key cancelling', { body: { query: CANCEL_MUTATION, variables: { input: { id: primer(PRIMER_SEED_IDS.authorizedJpy) } } }, credential: READ_KEY, lean: false }],
  ['two cancels in one operation', { body: { query: `mutation { a: cancelPayment(input: { id: "${primer(PRIMER_SEED_IDS.authorizedJpy)}" }) { __typename } b: cancelPayment(input: { id: "${primer(PRIMER_SEED_IDS.authorizedKwd)}" }) { __typename } }` }, lean: false }],
  ['too many ids in variables', { body: { query: 'query ($ids: [ID!]!) { payments(ids: $ids) { id } }', variables: { ids: Array.from({ length: 101 }, (_, i) => `id-${i}`) } }, lean: false }],
  ['a syntax error', { body: { query: '{ payment(id: "x") { id }' }, lean: false }],
  ['an unknown field', { body: { query: '{ nope }' }, lean: false }],
  ['an inline fragment', { body: { query: '{ node(id: "x") { ... on Payment { amount { amount currencyCode } statusReason { type } } } }' }, lean: true }],
  ['a missing variable', { body: { query: READ }, lean: false }],
  ['an Int for an ID (coerced)', { body: { query: READ, variables: { id: 5 } }, lean: true }],
  ['a variable of the wrong type', { body: { query: READ, variables: { id: true } }, lean: false }],
  ['introspection', { body: { query: '{ __schema { queryType { name } } }' }, lean: false }],
  // After 'a read' prepared READ without a name: "" names no operation (graphql-js), unlike null.
  ['an empty operationName', { body: { query: READ, variables: { id: primer(PRIMER_SEED_IDS.settledUsd) }, operationName: '' }, lean: false }],
  ['a subscription-less unknown operation name', { body: { query: READ, variables: { id: 'x' }, operationName: 'Other' }, lean: false }],
  ['APQ extensions', { body: { query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: 'ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38' } } }, lean: false }],
  ['Accept: graphql-response+json', { body: { query: '{ __typename }' }, headers: { accept: 'application/graphql-response+json' }, lean: true }],
  ['the typed client\'s Accept', { body: { query: READ, variables: { id: primer(PRIMER_SEED_IDS.settledUsd) } }, headers: { accept: 'application/graphql-response+json, application/json' }, lean: true }],
  ['Accept: graphql-response+json, json;q=0.9', { body: { query: '{ __typename }' }, headers: { accept: 'application/graphql-response+json, application/json;q=0.9' }, lean: true }],
  ['Accept: */*', { body: { query: '{ __typename }' }, headers: { accept: '*/*' }, lean: true }],
  ['an Accept it does not know', { body: { query: '{ __typename }' }, headers: { accept: 'application/json;q=0.5, application/graphql-response+json' }, lean: false }],
  ['an Accept nobody serves', { body: { query: '{ __typename }' }, headers: { accept: 'text/csv' }, lean: false }],
  ['a batch', { body: [{ query: '{ __typename }' }], lean: false }],
  // Read by the lean path's door, then handed to Fastify, which parses it again.
  ['JSON that does not parse', { rawBody: '{"query": "{ __typename }"', lean: false }],
  ['a __proto__ key', { rawBody: '{"query":"{ __typename }","__proto__":{"admin":true}}', lean: false }],
  ['a constructor key', { rawBody: '{"query":"{ __typename }","variables":{"constructor":{"prototype":{}}}}', lean: false }],
  ['an empty body', { rawBody: '', lean: false }],
  ['a query string', { body: { query: '{ __typename }' }, path: '/graphql?x=1', lean: false }],
  ['text/plain', { rawBody: '{"query":"{ __typename }"}', headers: { 'content-type': 'text/plain' }, lean: false }],
  ['a GET', { method: 'GET', path: '/graphql?query=%7B__typename%7D', headers: { 'apollo-require-preflight': 'true' }, lean: false }],
];

async function send(gw: TestGateway, exchange: Exchange) {
  const credential = exchange.credential === undefined ? FULL_KEY : exchange.credential;
  const response = await request(`${gw.server.url}${exchange.path ?? '/graphql'}`, {
    method: exchange.method ?? 'POST',
    headers: {
      ...(exchange.method === 'GET' ? {} : { 'content-type': 'application/json' }),
      ...(credential === null ? {} : { authorization: `Bearer ${credential}` }),
      ...exchange.headers,
    },
    body: exchange.method === 'GET' ? undefined : (exchange.rawBody ?? JSON.stringify(exchange.body)),
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    contentType: response.headers['content-type'],
    retryAfter: response.headers['retry-after'],
    wwwAuthenticate: response.headers['www-authenticate'],
    // Request ids differ between the two gateways by design, and a cancel's time by a few ms.
    body: text.replace(/"requestId":"[^"]+"/g, '"requestId":"*"').replace(/"(updatedAt|canceledAt)":"[^"]+"/g, '"$1":"*"'),
  };
}

describe('the lean path answers as Apollo does', () => {
  let lean: TestGateway;
  let apollo: TestGateway;
  beforeAll(async () => {
    [lean, apollo] = await Promise.all([startTestGateway(), startTestGateway({ leanPath: false })]);
  });
  afterAll(async () => {
    await Promise.all([lean?.close(), apollo?.close()]);
  });

  it('for every kind of request, in order, against the same sandbox state', async () => {
    for (const [name, exchange] of EXCHANGES) {
      const before = lean.server.leanRequests();
      const [fromLean, fromApollo] = [await send(lean, exchange), await send(apollo, exchange)];
      expect(fromLean, name).toEqual(fromApollo);
      expect(lean.server.leanRequests() - before, `${name}: answered by the lean path`).toBe(exchange.lean ? 1 : 0);
    }
    expect(apollo.server.leanRequests()).toBe(0);
    // Both gateways did the same to their providers.
    expect(lean.hmac.requests.map((r) => [r.method, r.path, r.status])).toEqual(apollo.hmac.requests.map((r) => [r.method, r.path, r.status]));
    expect(lean.primer.requests.map((r) => [r.method, r.path, r.status])).toEqual(apollo.primer.requests.map((r) => [r.method, r.path, r.status]));
  });
});

describe('the lean path\'s door', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('answers with the headers every gateway answer has, and an exact content-length', async () => {
    const before = gw.server.leanRequests();
    const body = JSON.stringify({ query: READ, variables: { id: primer(PRIMER_SEED_IDS.authorizedUsd) } });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${FULL_KEY}` };
    const given = await request(`${gw.server.url}/graphql`, { method: 'POST', headers: { ...headers, 'x-request-id': 'trace-lean-1' }, body });
    const text = await given.body.text();
    expect(given.statusCode).toBe(200);
    expect(given.headers['x-request-id']).toBe('trace-lean-1');
    expect(given.headers['cache-control']).toBe('no-store');
    expect(given.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(given.headers['content-length'])).toBe(Buffer.byteLength(text));
    expect(given.headers['connection']).toBe('keep-alive');
    const fresh = await request(`${gw.server.url}/graphql`, { method: 'POST', headers, body });
    await fresh.body.text();
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(gw.server.leanRequests() - before).toBe(2);
    // One request line each, as Fastify's answers get (a GET through Fastify for comparison).
    const viaFastify = await request(`${gw.server.url}/graphql?query=%7B__typename%7D`, { headers: { authorization: `Bearer ${FULL_KEY}`, 'apollo-require-preflight': 'true' } });
    await viaFastify.body.text();
    const lines = gw.log.records().filter((record) => record['msg'] === 'request');
    const byId = (id: unknown) => lines.filter((record) => record['requestId'] === id);
    expect(byId('trace-lean-1')).toEqual([expect.objectContaining({ method: 'POST', path: '/graphql', status: 200, ms: expect.any(Number) })]);
    expect(byId(fresh.headers['x-request-id'])).toHaveLength(1);
    expect(byId(viaFastify.headers['x-request-id'])).toEqual([expect.objectContaining({ method: 'GET', path: '/graphql', status: 200 })]);
  });

  it('a body sent in chunks of any size is read whole; one longer than the limit goes to Fastify, which refuses it', async () => {
    const body = Buffer.from(JSON.stringify({ query: '{ __typename }', variables: { note: 'é'.repeat(3000) } }));
    const before = gw.server.leanRequests();
    // Split inside a two-byte character: the body must be decoded once, whole.
    const pieces: Buffer[] = [];
    for (let at = 0; at < body.length; at += 1001) pieces.push(body.subarray(at, at + 1001));
    const chunked = await request(`${gw.server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(body.length), authorization: `Bearer ${FULL_KEY}` },
      body: Readable.from(pieces, { objectMode: false }),
    });
    expect(await chunked.body.json()).toEqual({ data: { __typename: 'Query' } });
    expect(gw.server.leanRequests() - before).toBe(1);
    const tooLong = await request(`${gw.server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${FULL_KEY}` },
      body: JSON.stringify({ query: '{ __typename }', variables: { note: 'x'.repeat(2 * 1024 * 1024) } }),
    });
    await tooLong.body.text();
    expect(tooLong.statusCode).toBe(413);
    expect(gw.server.leanRequests() - before).toBe(1);
  });
});

describe('the lean path with failures', () => {
  let lean: TestGateway;
  let apollo: TestGateway;
  beforeAll(async () => {
    const limiter = () => createMemoryRateLimiter({ capacity: 1, refillPerSecond: 0.001 });
    [lean, apollo] = await Promise.all([
      startTestGateway({ cancelRateLimiter: limiter(), resilience: { breakerThreshold: 10_000 } }),
      startTestGateway({ cancelRateLimiter: limiter(), resilience: { breakerThreshold: 10_000 }, leanPath: false }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([lean?.close(), apollo?.close()]);
  });
  beforeEach(() => {
    lean.reset();
    apollo.reset();
  });

  it('a provider that fails: null plus PROVIDER_UNAVAILABLE, the same on both', async () => {
    for (const gw of [lean, apollo]) gw.primer.addFault({ fault: { type: 'status', status: 500 } });
    const exchange: Exchange = { body: { query: READ, variables: { id: primer(PRIMER_SEED_IDS.authorizedUsd) } }, lean: true };
    const fromLean = await send(lean, exchange);
    expect(fromLean).toEqual(await send(apollo, exchange));
    expect(JSON.parse(fromLean.body).errors[0].extensions).toEqual({ code: 'PROVIDER_UNAVAILABLE', provider: 'PRIMER', retryable: true, requestId: '*' });
  });

  it('rate limited: HTTP 429 with Retry-After, the same on both', async () => {
    const exchange = (id: string): Exchange => ({ body: { query: CANCEL_MUTATION, variables: { input: { id: primer(id) } } }, lean: true });
    expect(await send(lean, exchange(PRIMER_SEED_IDS.settledUsd))).toEqual(await send(apollo, exchange(PRIMER_SEED_IDS.settledUsd)));
    const before = lean.server.leanRequests();
    const [fromLean, fromApollo] = [await send(lean, exchange(PRIMER_SEED_IDS.settledUsd)), await send(apollo, exchange(PRIMER_SEED_IDS.settledUsd))];
    expect(fromLean).toEqual(fromApollo);
    expect(fromLean.status).toBe(429);
    expect(fromLean.retryAfter).toMatch(/^\d+$/);
    expect(lean.server.leanRequests() - before).toBe(1);
  });
});
