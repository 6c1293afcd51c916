/**
 * start.ts wires GraphiQL: the banner line, the example document on a sandbox payment, and the
 * development key in the headers editor only when one was created.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../../src/domain/global-id.js';
import { HMAC_SEED_IDS, PRIMER_SEED_IDS } from '../../src/sandboxes/index.js';
import { startGateway, type RunningGateway } from '../../src/start.js';
import { FULL_KEY, TEST_API_KEYS } from '../support/credentials.js';
import { captureLog } from '../support/log-capture.js';
import { get, pageConfig } from './page.js';

let running: RunningGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const start = async (env: Record<string, string>) => {
  running = await startGateway({ HOST: '127.0.0.1', PORT: '0', ...env }, () => captureLog().logger);
  return running;
};

describe('GraphiQL from start-up', () => {
  it('on the sandboxes with no credentials: the development key prefilled, a cancellable sandbox payment in the document', async () => {
    const gateway = await start({});
    expect(gateway.banner).toContain(`GraphiQL: ${gateway.server.url}/graphiql`);
    expect(gateway.developmentKey).toBeTruthy();
    const { config } = pageConfig((await get(`${gateway.server.url}/graphiql`)).text);
    expect(JSON.parse(config.defaultHeaders)).toEqual({ Authorization: `Bearer ${gateway.developmentKey}` });
    const id = encodeGlobalId({ provider: 'HMAC', providerPaymentId: HMAC_SEED_IDS.requiresCaptureThb });
    expect(config.defaultQuery).toContain(`query ReadPayment {\n  payment(id: "${id}")`);
    expect(config.defaultQuery).toContain(`cancelPayment(input: { id: "${id}"`);
  });

  it('with configured keys: a placeholder, and no key in the page', async () => {
    const gateway = await start({ GATEWAY_API_KEYS: JSON.stringify(TEST_API_KEYS) });
    expect(gateway.developmentKey).toBeNull();
    const { text } = await get(`${gateway.server.url}/graphiql`);
    expect(JSON.parse(pageConfig(text).config.defaultHeaders)).toEqual({ Authorization: 'Bearer <your key>' });
    expect(text).not.toContain(FULL_KEY);
    expect(text).not.toMatch(/gwdev_/);
  });

  it('listening beyond this machine: the development key is not written into the page', async () => {
    const gateway = await start({ HOST: '0.0.0.0' });
    expect(gateway.developmentKey).toBeTruthy();
    const url = gateway.server.url.replace('0.0.0.0', '127.0.0.1');
    const { text } = await get(`${url}/graphiql`);
    expect(JSON.parse(pageConfig(text).config.defaultHeaders)).toEqual({ Authorization: 'Bearer <your key>' });
    expect(text).not.toContain(gateway.developmentKey!);
  });

  it('GATEWAY_GRAPHIQL=false: no page, no banner line; the API is unchanged', async () => {
    const gateway = await start({ GATEWAY_GRAPHIQL: 'false' });
    expect(gateway.banner).not.toContain('GraphiQL');
    expect((await get(`${gateway.server.url}/graphiql`)).status).toBe(404);
  });

  it('on the Primer sandbox alone: a Primer payment in the document', async () => {
    const gateway = await start({ HMAC_API_BASE_URL: 'http://127.0.0.1:9', HMAC_API_KEY: 'k', HMAC_API_SECRET: 's', GATEWAY_API_KEYS: JSON.stringify(TEST_API_KEYS) });
    const { config } = pageConfig((await get(`${gateway.server.url}/graphiql`)).text);
    expect(config.defaultQuery).toContain(encodeGlobalId({ provider: 'PRIMER', providerPaymentId: PRIMER_SEED_IDS.authorizedUsd }));
  });
});
