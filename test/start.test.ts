/**
 * `npm start` as a user runs it: the built gateway in its own process.
 */
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHmacSandbox, createPrimerSandbox, HMAC_SEED_IDS, PRIMER_SEED_IDS, type HmacSandbox, type PrimerSandbox } from '../src/sandboxes/index.js';
import { FULL_KEY, TEST_API_KEYS } from './support/credentials.js';
import { globalId } from './support/gateway.js';
import { killAll, postGraphQL, runGateway } from './support/process.js';

afterEach(killAll);

describe('npm start with nothing configured', () => {
  it('serves GraphQL on the embedded sandboxes, prints sample ids, never Apollo\'s CDN page, and stops on SIGTERM', async () => {
    const gateway = runGateway({});
    const url = await gateway.graphqlUrl();
    const sampleIds = [...gateway.stdout().matchAll(/^\s+([A-Za-z0-9_-]{16,})\s+\(/gm)].map((m) => m[1]!);
    expect(sampleIds.length).toBeGreaterThanOrEqual(4);
    const developmentKey = /Development API key \(every scope, sandboxes only\): (\S+)/.exec(gateway.stdout())?.[1];
    expect(developmentKey).toMatch(/^\S{32,}$/);

    const query = 'query ($ids: [ID!]!) { payments(ids: $ids) { id provider status } }';
    expect((await postGraphQL(url, query, { ids: sampleIds })).status).toBe(401);
    const response = await postGraphQL(url, query, { ids: sampleIds }, developmentKey);
    expect(response.status).toBe(200);
    expect(response.body.data.payments.map((p: { id: string }) => p.id)).toEqual(sampleIds);
    expect(new Set(response.body.data.payments.map((p: { provider: string }) => p.provider))).toEqual(new Set(['HMAC', 'PRIMER']));

    const page = await request(url, { method: 'GET', headers: { accept: 'text/html' } });
    expect(await page.body.text()).not.toMatch(/apollographql|embeddable|sandbox\.js|fonts\.googleapis/i);

    expect(await gateway.stop()).toBe(0);
  });
});

describe('npm start with providers configured', () => {
  let hmac: HmacSandbox;
  let primer: PrimerSandbox;
  beforeAll(async () => {
    hmac = await createHmacSandbox({ apiKey: 'live_like_key_1', apiSecret: 'live_like_secret_1' });
    primer = await createPrimerSandbox({ apiKey: 'live_like_primer_1' });
  });
  afterAll(async () => {
    await hmac.close();
    await primer.close();
  });

  it('talks to the configured providers instead of the embedded sandboxes', async () => {
    hmac.putPayment({ ...hmac.getPayment(HMAC_SEED_IDS.succeededThb), id: 'only-at-the-configured-hmac' });
    primer.putPayment({ ...primer.getPayment(PRIMER_SEED_IDS.settledUsd), id: 'OnlyHere1' });
    const gateway = runGateway({
      HMAC_API_BASE_URL: hmac.url,
      HMAC_API_KEY: 'live_like_key_1',
      HMAC_API_SECRET: 'live_like_secret_1',
      PRIMER_API_BASE_URL: primer.url,
      PRIMER_API_KEY: 'live_like_primer_1',
      GATEWAY_API_KEYS: JSON.stringify(TEST_API_KEYS),
    });
    const url = await gateway.graphqlUrl();
    expect(gateway.stdout()).not.toContain('Payments to try');
    expect(gateway.stdout()).not.toContain('Development API key');
    const response = await postGraphQL(
      url,
      `{
        a: payment(id: "${globalId('HMAC', 'only-at-the-configured-hmac')}") { status }
        b: payment(id: "${globalId('PRIMER', 'OnlyHere1')}") { status }
      }`,
      undefined,
      FULL_KEY,
    );
    expect(response.body).toEqual({ data: { a: { status: 'SUCCEEDED' }, b: { status: 'SUCCEEDED' } } });
    expect(hmac.requests).toHaveLength(1);
    expect(primer.requests).toHaveLength(1);
    expect(await gateway.stop()).toBe(0);
    const output = gateway.stdout() + gateway.stderr();
    for (const secret of ['live_like_key_1', 'live_like_secret_1', 'live_like_primer_1', FULL_KEY]) expect(output).not.toContain(secret);
  });
});

describe('npm start with a bad configuration', () => {
  it.each([
    [{ HMAC_API_KEY: 'hk_secret_value' }, 'HMAC_API_BASE_URL'],
    [{ HMAC_API_BASE_URL: 'https://api.example.com', HMAC_API_KEY: 'hk_secret_value' }, 'HMAC_API_SECRET'],
    [{ PRIMER_API_BASE_URL: 'https://api.primer.io' }, 'PRIMER_API_KEY'],
    [{ PRIMER_API_KEY: 'hk_secret_value', PRIMER_API_BASE_URL: 'api.primer.io' }, 'PRIMER_API_BASE_URL'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ REDIS_URL: 'hk_secret_value@127.0.0.1' }, 'REDIS_URL'],
    [{ PRIMER_API_KEY: 'hk_secret_value' }, 'GATEWAY_API_KEYS'],
    [{ GATEWAY_API_KEYS: '[{"name":"x","keySha256":"hk_secret_value","scopes":[]}]' }, 'GATEWAY_API_KEYS'],
  ])('%j stops with one line naming %s', async (env, variable) => {
    const gateway = runGateway(env);
    expect(await gateway.exit()).toBe(2);
    const lines = gateway.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(variable);
    expect(gateway.stderr()).not.toContain('hk_secret_value');
    expect(gateway.stdout()).toBe('');
  });
});
