/**
 * PROVIDER_BREAKER_FAILURES and PROVIDER_BREAKER_OPEN_SECONDS reach each provider's breaker.
 */
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { HMAC_SEED_IDS } from '../src/sandboxes/index.js';
import { startGateway, type RunningGateway } from '../src/start.js';
import { FULL_KEY, TEST_API_KEYS } from './support/credentials.js';
import { globalId } from './support/gateway.js';
import { captureLog } from './support/log-capture.js';
import { postGraphQL } from './support/process.js';

let running: RunningGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('breaker configuration', () => {
  it.each([
    ['1', 'open'],
    ['2', 'closed'],
  ])('PROVIDER_BREAKER_FAILURES=%s: after one failed call the HMAC breaker is %s', async (failures, state) => {
    running = await startGateway(
      {
        HOST: '127.0.0.1',
        PORT: '0',
        // Nothing listens on port 9: every HMAC call fails to connect.
        HMAC_API_BASE_URL: 'http://127.0.0.1:9',
        HMAC_API_KEY: 'k',
        HMAC_API_SECRET: 's',
        GATEWAY_API_KEYS: JSON.stringify(TEST_API_KEYS),
        PROVIDER_TIMEOUT_MS: '1000',
        PROVIDER_BREAKER_FAILURES: failures,
        PROVIDER_BREAKER_OPEN_SECONDS: '600',
      },
      () => captureLog().logger,
    );
    const read = await postGraphQL(running.server.graphqlUrl, `{ payment(id: "${globalId('HMAC', HMAC_SEED_IDS.succeededThb)}") { id } }`, undefined, FULL_KEY);
    expect(read.body.errors[0].extensions.code).toBe('PROVIDER_UNAVAILABLE');
    const ready = await request(`${running.server.url}/readyz`);
    expect(((await ready.body.json()) as { providers: Record<string, { breaker: string }> }).providers['HMAC']).toEqual({ breaker: state });
  });
});
