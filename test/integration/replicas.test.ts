/**
 * Several gateway processes behind a load balancer share their idempotency ledger in Redis.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHmacSandbox, createPrimerSandbox, HMAC_SEED_IDS, PRIMER_SEED_IDS, type HmacSandbox, type PrimerSandbox } from '../../src/sandboxes/index.js';
import { FULL_KEY, TEST_API_KEYS } from '../support/credentials.js';
import { CANCEL_MUTATION, globalId } from '../support/gateway.js';
import { killAll, postGraphQL, runGateway, type GatewayProcess } from '../support/process.js';

describe('two gateway processes sharing one Redis', () => {
  let hmac: HmacSandbox;
  let primer: PrimerSandbox;
  let replicas: GatewayProcess[];
  let urls: string[];

  beforeAll(async () => {
    hmac = await createHmacSandbox();
    primer = await createPrimerSandbox();
    const env = {
      HMAC_API_BASE_URL: hmac.url,
      HMAC_API_KEY: hmac.apiKey,
      HMAC_API_SECRET: hmac.apiSecret,
      PRIMER_API_BASE_URL: primer.url,
      PRIMER_API_KEY: primer.apiKey,
      REDIS_URL: 'redis://127.0.0.1:6379',
      GATEWAY_API_KEYS: JSON.stringify(TEST_API_KEYS),
    };
    replicas = [runGateway(env), runGateway(env)];
    urls = await Promise.all(replicas.map((replica) => replica.graphqlUrl()));
  });
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await hmac.close();
    await primer.close();
  });
  afterEach(() => {
    hmac.reset();
    primer.reset();
  });

  it.each([
    ['HMAC', HMAC_SEED_IDS.requiresActionThb],
    ['PRIMER', PRIMER_SEED_IDS.authorizedEur],
  ] as const)('%s: the same key sent to both at once sends one cancel, and both answer its outcome', async (provider, id) => {
    const sandbox = provider === 'HMAC' ? hmac : primer;
    sandbox.addFault({ fault: { type: 'latency', ms: 300 }, method: 'POST', times: 1 });
    const variables = { input: { id: globalId(provider, id), idempotencyKey: `replicas-${randomUUID()}` } };
    const [a, b] = await Promise.all(urls.map((url) => postGraphQL(url, CANCEL_MUTATION, variables, FULL_KEY)));
    expect(sandbox.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(a!.body.data.cancelPayment).toMatchObject({ __typename: 'CancelPaymentSuccess', alreadyCanceled: false });
    expect(b!.body).toEqual(a!.body);
  });

  it('a key used on one replica replays on the other', async () => {
    const variables = { input: { id: globalId('HMAC', HMAC_SEED_IDS.requiresCaptureUsd), idempotencyKey: `replicas-${randomUUID()}` } };
    const first = await postGraphQL(urls[0]!, CANCEL_MUTATION, variables, FULL_KEY);
    const second = await postGraphQL(urls[1]!, CANCEL_MUTATION, variables, FULL_KEY);
    expect(second.body).toEqual(first.body);
    expect(hmac.requests).toHaveLength(1);
  });
});

afterAll(killAll);
