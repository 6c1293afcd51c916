/**
 * Abuse limits: each refused before any provider call.
 */
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryRateLimiter } from '../../src/rate-limit/index.js';
import { HMAC_SEED_IDS, PRIMER_SEED_IDS } from '../../src/sandboxes/index.js';
import { DEFAULT_LIMITS } from '../../src/server.js';
import { CANCEL_KEY, FULL_KEY } from '../support/credentials.js';
import { CANCEL_MUTATION, globalId, startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());
beforeEach(() => gw.reset());
const calls = () => gw.hmac.requests.length + gw.primer.requests.length;

async function refused(query: string, variables?: Record<string, unknown>) {
  const response = await gw.gql(query, variables);
  expect(response.status).toBe(400);
  expect(response.body.data ?? null).toBeNull();
  expect(response.body.errors?.length).toBeGreaterThan(0);
  expect(calls()).toBe(0);
  return response;
}

const a = globalId('HMAC', HMAC_SEED_IDS.requiresCaptureThb);
const b = globalId('PRIMER', PRIMER_SEED_IDS.authorizedUsd);

describe('one cancelPayment per operation', () => {
  it('aliased cancels do not fan out', async () => {
    const response = await refused(`mutation {
      a: cancelPayment(input: { id: "${a}" }) { __typename }
      b: cancelPayment(input: { id: "${b}" }) { __typename }
    }`);
    expect(response.body.errors?.[0]?.extensions?.['code']).toBe('LIMIT_EXCEEDED');
  });

  it('nor do cancels hidden in fragments', async () => {
    await refused(`mutation {
      ...One
      ...Two
    }
    fragment One on Mutation { a: cancelPayment(input: { id: "${a}" }) { __typename } }
    fragment Two on Mutation { b: cancelPayment(input: { id: "${b}" }) { __typename } }`);
  });

  it('one cancel is fine', async () => {
    const response = await gw.gql(CANCEL_MUTATION, { input: { id: a } });
    expect(response.body.data?.['cancelPayment']).toMatchObject({ __typename: 'CancelPaymentSuccess' });
  });
});

describe('payments(ids:) is capped', () => {
  const ids = Array.from({ length: DEFAULT_LIMITS.maxPaymentIds + 1 }, (_, i) => globalId('HMAC', `id-${i}`));
  it('by variables', async () => {
    const response = await refused('query ($ids: [ID!]!) { payments(ids: $ids) { id } }', { ids });
    expect(response.body.errors?.[0]?.extensions?.['code']).toBe('LIMIT_EXCEEDED');
  });

  it('by a literal list', async () => {
    await refused(`{ payments(ids: ${JSON.stringify(ids)}) { id } }`);
  });

  it('at the cap it runs', async () => {
    const response = await gw.gql('query ($ids: [ID!]!) { payments(ids: $ids) { id } }', { ids: ids.slice(0, DEFAULT_LIMITS.maxPaymentIds) });
    expect(response.status).toBe(200);
  });
});

describe('document limits', () => {
  it('depth', async () => {
    // The schema itself is shallow; a deeper document is refused for its depth alone.
    const deep = `{ payment(id: "${a}") { ${'amount { '.repeat(DEFAULT_LIMITS.maxDepth)}amount${' }'.repeat(DEFAULT_LIMITS.maxDepth)} } }`;
    const response = await refused(deep);
    expect(response.text).toMatch(/depth limit of 8/i);
  });

  it('aliases', async () => {
    const aliases = Array.from({ length: DEFAULT_LIMITS.maxAliases + 5 }, (_, i) => `p${i}: payment(id: "${a}") { id }`).join('\n');
    const response = await refused(`{ ${aliases} }`);
    expect(response.text).toMatch(/aliases limit of 15/i);
  });

  it('tokens', async () => {
    const fields = Array.from({ length: DEFAULT_LIMITS.maxTokens + 100 }, () => 'id').join(' ');
    const response = await refused(`{ payment(id: "${a}") { ${fields} } }`);
    expect(response.body.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('body size is refused with 413', async () => {
    const response = await gw.gql(`{ payment(id: "${a}") { id } }`, { padding: 'x'.repeat(DEFAULT_LIMITS.maxBodyBytes) });
    expect(response.status).toBe(413);
    expect(calls()).toBe(0);
  });

  it('field suggestions are not given away', async () => {
    const response = await refused(`{ paymnt(id: "${a}") { id } }`);
    expect(response.text).not.toMatch(/did you mean/i);
  });
});

describe('HTTP-level limits', () => {
  it('batched requests are off', async () => {
    const response = await request(gw.server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${FULL_KEY}` },
      body: JSON.stringify([{ query: `{ payment(id: "${a}") { id } }` }, { query: `{ payment(id: "${b}") { id } }` }]),
    });
    expect(response.statusCode).toBe(400);
    await response.body.dump();
    expect(calls()).toBe(0);
  });

  it('a text/plain POST (a CSRF vector) is refused', async () => {
    const response = await request(gw.server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${FULL_KEY}` },
      body: JSON.stringify({ query: `mutation { cancelPayment(input: { id: "${a}" }) { __typename } }` }),
    });
    expect(response.statusCode).toBe(400);
    await response.body.dump();
    expect(calls()).toBe(0);
  });

  it('a GET cannot run a mutation', async () => {
    const query = encodeURIComponent(`mutation { cancelPayment(input: { id: "${a}" }) { __typename } }`);
    const response = await request(`${gw.server.graphqlUrl}?query=${query}`, {
      method: 'GET',
      headers: { authorization: `Bearer ${FULL_KEY}`, 'apollo-require-preflight': 'true' },
    });
    expect(response.statusCode).toBe(405);
    await response.body.dump();
    expect(calls()).toBe(0);
  });
});

describe('cancel rate limit per caller', () => {
  let limited: TestGateway;
  beforeAll(async () => {
    limited = await startTestGateway({ cancelRateLimiter: createMemoryRateLimiter({ capacity: 2, refillPerSecond: 0.001 }) });
  });
  afterAll(() => limited.close());

  it('refuses past the burst with 429 and Retry-After, without calling the provider, and only for that caller', async () => {
    const ids = [HMAC_SEED_IDS.requiresCaptureThb, HMAC_SEED_IDS.requiresCaptureUsd, HMAC_SEED_IDS.requiresCaptureJpy];
    for (const id of ids.slice(0, 2)) {
      expect((await limited.gql(CANCEL_MUTATION, { input: { id: globalId('HMAC', id) } })).body.data?.['cancelPayment'].__typename).toBe('CancelPaymentSuccess');
    }
    const third = await limited.gql(CANCEL_MUTATION, { input: { id: globalId('HMAC', ids[2]!) } });
    expect(third.status).toBe(429);
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    expect(third.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryable: true });
    expect(limited.hmac.requests).toHaveLength(2);
    // Another caller has its own budget; reads are not limited.
    expect((await limited.gql(CANCEL_MUTATION, { input: { id: globalId('HMAC', ids[2]!) } }, { credential: CANCEL_KEY })).body.data?.['cancelPayment'].__typename).toBe(
      'CancelPaymentSuccess',
    );
    expect((await limited.gql(`{ payment(id: "${globalId('HMAC', ids[0]!)}") { status } }`)).status).toBe(200);
  });
});
