/**
 * Graceful shutdown on SIGTERM: stop accepting, finish what is in flight, close, exit 0.
 */
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHmacSandbox, createPrimerSandbox, HMAC_SEED_IDS, type HmacSandbox, type PrimerSandbox } from '../src/sandboxes/index.js';
import { FULL_KEY, TEST_API_KEYS } from './support/credentials.js';
import { globalId } from './support/gateway.js';
import { killAll, postGraphQL, runGateway } from './support/process.js';

describe('SIGTERM', () => {
  let hmac: HmacSandbox;
  let primer: PrimerSandbox;
  beforeAll(async () => {
    hmac = await createHmacSandbox();
    primer = await createPrimerSandbox();
  });
  afterAll(async () => {
    await hmac.close();
    await primer.close();
  });
  afterEach(killAll);

  it('lets an in-flight request finish, then refuses new connections and exits 0', async () => {
    const gateway = runGateway({
      HMAC_API_BASE_URL: hmac.url,
      HMAC_API_KEY: hmac.apiKey,
      HMAC_API_SECRET: hmac.apiSecret,
      PRIMER_API_BASE_URL: primer.url,
      PRIMER_API_KEY: primer.apiKey,
      GATEWAY_API_KEYS: JSON.stringify(TEST_API_KEYS),
    });
    const url = await gateway.graphqlUrl();
    // Hold the provider's answer so the request is in flight when the signal arrives.
    hmac.addFault({ fault: { type: 'latency', ms: 800 }, times: 1 });
    const inFlight = postGraphQL(url, `{ payment(id: "${globalId('HMAC', HMAC_SEED_IDS.succeededThb)}") { status } }`, undefined, FULL_KEY);
    await hmac.waitFor((requests) => requests.length === 1);
    const exited = gateway.stop();

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ data: { payment: { status: 'SUCCEEDED' } } });
    // Answered while closing: the keep-alive connection is not kept.
    expect(response.headers['connection']).toBe('close');
    expect(await exited).toBe(0);
    await expect(request(url, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).rejects.toThrow();
  });
});
