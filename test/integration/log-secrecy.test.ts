/**
 * Secrets stay secret: drive every operation, failures included, and look for every secret in
 * everything the gateway wrote and answered.
 */
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAuthConfig } from '../../src/auth/index.js';
import { HMAC_SEED_IDS, PRIMER_SEED_IDS } from '../../src/sandboxes/index.js';
import { CANCEL_KEY, FULL_KEY, READ_KEY, TEST_API_KEYS } from '../support/credentials.js';
import { CANCEL_MUTATION, globalId, PAYMENT_FIELDS, startTestGateway, type TestGateway } from '../support/gateway.js';

describe('secrets never reach a log line or a response', () => {
  const gateways: TestGateway[] = [];
  const responses: string[] = [];
  let jwt: string;
  let expiredJwt: string;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const dir = mkdtempSync(join(tmpdir(), 'pgw-secrecy-'));
    writeFileSync(join(dir, 'jwks.json'), JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }] }));
    const auth = loadAuthConfig({
      GATEWAY_API_KEYS: JSON.stringify(TEST_API_KEYS),
      GATEWAY_JWKS_FILE: join(dir, 'jwks.json'),
      GATEWAY_JWT_ISSUER: 'https://sso.example.test/',
      GATEWAY_JWT_AUDIENCE: 'payments-gateway',
    });
    const token = (exp: number) =>
      new SignJWT({ sub: 'frontend-user-1', scope: 'payments:read payments:cancel' })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setIssuer('https://sso.example.test/')
        .setAudience('payments-gateway')
        .setExpirationTime(exp)
        .sign(privateKey);
    jwt = await token(Math.floor(Date.now() / 1000) + 300);
    expiredJwt = await token(Math.floor(Date.now() / 1000) - 300);

    const gw = await startTestGateway({ auth });
    // A second gateway whose provider credentials are wrong: misconfiguration is logged loudly.
    const misconfigured = await startTestGateway({ auth, hmacApiSecret: 'wrong-hmac-secret-value-42', primerApiKey: 'wrong-primer-key-value-42' });
    gateways.push(gw, misconfigured);

    const say = async (target: TestGateway, query: string, variables?: Record<string, unknown>, credential?: string | null) => {
      responses.push((await target.gql(query, variables, credential === undefined ? {} : { credential })).text);
    };
    for (const target of gateways) {
      const read = `query ($ids: [ID!]!) { payments(ids: $ids) { ${PAYMENT_FIELDS} } }`;
      const ids = [
        globalId('PRIMER', PRIMER_SEED_IDS.authorizedUsd),
        globalId('PRIMER', PRIMER_SEED_IDS.pendingThreeDsEur),
        globalId('HMAC', HMAC_SEED_IDS.requiresActionThb),
        globalId('HMAC', HMAC_SEED_IDS.requiresCaptureThb),
      ];
      await say(target, read, { ids });
      await say(target, read, { ids }, jwt);
      await say(target, read, { ids }, expiredJwt);
      await say(target, read, { ids }, `${FULL_KEY}x`);
      await say(target, read, { ids }, null);
      await say(target, CANCEL_MUTATION, { input: { id: ids[0], reason: 'customer asked', idempotencyKey: 'secrecy-1' } });
      await say(target, CANCEL_MUTATION, { input: { id: ids[3] } }, READ_KEY);
      await say(target, CANCEL_MUTATION, { input: { id: ids[3] } }, CANCEL_KEY);
      await say(target, CANCEL_MUTATION, { input: { id: globalId('PRIMER', PRIMER_SEED_IDS.settledUsd) } }, jwt);
      target.primer.addFault({ fault: { type: 'malformed-json' }, times: 1 });
      await say(target, read, { ids: [ids[1]] });
      target.hmac.addFault({ fault: { type: 'status', status: 500 }, times: 1 });
      await say(target, CANCEL_MUTATION, { input: { id: globalId('HMAC', HMAC_SEED_IDS.processingThb) } });
      await say(target, '{ broken');
    }
  });
  afterAll(async () => {
    for (const gw of gateways) await gw.close();
  });

  it('none of them appears anywhere', () => {
    const [gw, misconfigured] = gateways as [TestGateway, TestGateway];
    const primerPayment = gw.primer.getPayment(PRIMER_SEED_IDS.authorizedUsd) as any;
    const threeDs = gw.primer.getPayment(PRIMER_SEED_IDS.pendingThreeDsEur) as any;
    const hmacPayment = gw.hmac.getPayment(HMAC_SEED_IDS.requiresActionThb) as any;
    const signatures = [...gw.hmac.requests, ...misconfigured.hmac.requests].map((r) => r.headers['x-signature']!).filter(Boolean);
    expect(signatures.length).toBeGreaterThan(5);
    const secrets = [
      gw.hmac.apiKey,
      gw.hmac.apiSecret,
      gw.primer.apiKey,
      'wrong-hmac-secret-value-42',
      'wrong-primer-key-value-42',
      FULL_KEY,
      READ_KEY,
      CANCEL_KEY,
      jwt,
      expiredJwt,
      jwt.split('.')[2]!,
      ...signatures,
      ...signatures.map((s) => s.slice('sha256='.length)),
      primerPayment.customer.emailAddress,
      primerPayment.paymentMethod.paymentMethodToken,
      primerPayment.paymentMethod.paymentMethodData.cardholderName,
      `${primerPayment.paymentMethod.paymentMethodData.first6Digits}`,
      threeDs.requiredAction.clientToken,
      hmacPayment.clientSecret,
    ];
    const written = gateways.map((g) => g.log.text()).join('\n') + responses.join('\n');
    expect(written.length).toBeGreaterThan(1000);
    for (const secret of secrets) {
      expect(secret, 'a secret to look for').toBeTruthy();
      expect(written.includes(secret), `found a secret in the output: ${secret.slice(0, 6)}…`).toBe(false);
    }
  });

  it('the failures that were driven are in the logs', () => {
    const records = gateways.flatMap((g) => g.log.records());
    expect(records).toContainEqual(expect.objectContaining({ failure: 'misconfigured' }));
    expect(records).toContainEqual(expect.objectContaining({ failure: 'unreadable_response' }));
    expect(records.filter((r) => 'audit' in r).length).toBeGreaterThanOrEqual(6);
  });
});
