/**
 * Who may call: the authentication matrix and scopes, through the real server.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadAuthConfig, sha256Hex } from '../../src/auth/index.js';
import { HMAC_SEED_IDS, PRIMER_SEED_IDS } from '../../src/sandboxes/index.js';
import { CANCEL_KEY, FULL_KEY, READ_KEY, TEST_API_KEYS } from '../support/credentials.js';
import { CANCEL_MUTATION, globalId, startTestGateway, type TestGateway } from '../support/gateway.js';

const ISSUER = 'https://sso.example.test/';
const AUDIENCE = 'payments-gateway';
const READ_QUERY = `{ payment(id: "${globalId('PRIMER', PRIMER_SEED_IDS.settledUsd)}") { status } }`;
const cancelInput = { input: { id: globalId('HMAC', HMAC_SEED_IDS.requiresCaptureThb) } };

let gw: TestGateway;
let sign: (claims: Record<string, unknown>, options?: { expiresIn?: string | number; audience?: string; issuer?: string }) => Promise<string>;
const calls = () => gw.hmac.requests.length + gw.primer.requests.length;

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
  const dir = mkdtempSync(join(tmpdir(), 'pgw-jwks-'));
  const file = join(dir, 'jwks.json');
  writeFileSync(file, JSON.stringify({ keys: [jwk] }));
  sign = (claims, options = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key-1' })
      .setIssuer(options.issuer ?? ISSUER)
      .setAudience(options.audience ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(privateKey);
  const auth = loadAuthConfig({
    GATEWAY_API_KEYS: JSON.stringify([
      ...TEST_API_KEYS,
      { name: 'schema-reader', keySha256: sha256Hex('pgw_test_introspect_key_1'), scopes: ['schema:introspect'] },
    ]),
    GATEWAY_JWKS_FILE: file,
    GATEWAY_JWT_ISSUER: ISSUER,
    GATEWAY_JWT_AUDIENCE: AUDIENCE,
  });
  gw = await startTestGateway({ auth });
});
afterAll(() => gw.close());
beforeEach(() => gw.reset());

describe('without a valid credential: HTTP 401, UNAUTHENTICATED, no provider call', () => {
  const cases: Array<[string, () => Promise<string | null>, string]> = [
    ['no Authorization header', async () => null, 'Bearer realm="payments-gateway"'],
    ['a Basic credential', async () => 'Basic dXNlcjpwYXNz', 'error="invalid_request"'],
    ['a bearer without a token', async () => 'Bearer', 'error="invalid_request"'],
    ['an unknown API key', async () => 'Bearer pgw_not_a_key_at_all_123456', 'error="invalid_token"'],
    ['an expired JWT', async () => `Bearer ${await sign({ sub: 'frontend', scope: 'payments:read' }, { expiresIn: Math.floor(Date.now() / 1000) - 120 })}`, 'error="invalid_token"'],
    ['a JWT for another audience', async () => `Bearer ${await sign({ sub: 'frontend', scope: 'payments:read' }, { audience: 'another-api' })}`, 'error="invalid_token"'],
    ['a JWT from another issuer', async () => `Bearer ${await sign({ sub: 'frontend', scope: 'payments:read' }, { issuer: 'https://evil.example/' })}`, 'error="invalid_token"'],
  ];

  it.each(cases)('%s', async (_name, header, challenge) => {
    const value = await header();
    const response = await gw.gql(READ_QUERY, undefined, { credential: null, headers: value === null ? {} : { authorization: value } });
    expect(response.status).toBe(401);
    expect(String(response.headers['www-authenticate'])).toContain(challenge);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    if (value && value.length > 12) expect(response.text).not.toContain(value.slice(7));
    expect(calls()).toBe(0);
  });

  it('a cancel without a credential reaches no provider', async () => {
    const response = await gw.gql(CANCEL_MUTATION, cancelInput, { credential: null });
    expect(response.status).toBe(401);
    expect(calls()).toBe(0);
  });
});

describe('scopes', () => {
  it('a read-only key reads', async () => {
    const response = await gw.gql(READ_QUERY, undefined, { credential: READ_KEY });
    expect(response.body).toEqual({ data: { payment: { status: 'SUCCEEDED' } } });
  });

  it('a read-only key cancelling is FORBIDDEN (HTTP 403) and no provider is called', async () => {
    const response = await gw.gql(CANCEL_MUTATION, cancelInput, { credential: READ_KEY });
    expect(response.status).toBe(403);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'payments:cancel' });
    expect(calls()).toBe(0);
  });

  it('a cancel-only key reading is FORBIDDEN', async () => {
    const response = await gw.gql(READ_QUERY, undefined, { credential: CANCEL_KEY });
    expect(response.status).toBe(403);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'payments:read' });
    expect(calls()).toBe(0);
  });

  it('a cancel-only key cancels', async () => {
    const response = await gw.gql(CANCEL_MUTATION, cancelInput, { credential: CANCEL_KEY });
    expect(response.body.data?.['cancelPayment']).toMatchObject({ __typename: 'CancelPaymentSuccess' });
  });

  it('the full key does both', async () => {
    expect((await gw.gql(READ_QUERY, undefined, { credential: FULL_KEY })).body.data).toEqual({ payment: { status: 'SUCCEEDED' } });
    expect((await gw.gql(CANCEL_MUTATION, cancelInput, { credential: FULL_KEY })).body.data?.['cancelPayment']).toMatchObject({ __typename: 'CancelPaymentSuccess' });
  });

  it('a JWT gets the scopes of its scope claim', async () => {
    const token = await sign({ sub: 'web-frontend', scope: 'payments:read openid' });
    expect((await gw.gql(READ_QUERY, undefined, { credential: token })).body.data).toEqual({ payment: { status: 'SUCCEEDED' } });
    const cancel = await gw.gql(CANCEL_MUTATION, cancelInput, { credential: token });
    expect(cancel.status).toBe(403);
    const both = await sign({ sub: 'web-frontend', scope: 'payments:read payments:cancel' });
    expect((await gw.gql(CANCEL_MUTATION, cancelInput, { credential: both })).body.data?.['cancelPayment']).toMatchObject({
      __typename: 'CancelPaymentSuccess',
    });
  });
});

describe('request ids', () => {
  it('every response carries one, and a sane caller-sent one is kept', async () => {
    const fresh = await gw.gql(READ_QUERY);
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await gw.gql(READ_QUERY, undefined, { headers: { 'x-request-id': 'trace-abc-123' } });
    expect(kept.headers['x-request-id']).toBe('trace-abc-123');
    const replaced = await gw.gql(READ_QUERY, undefined, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(replaced.headers['x-request-id']).not.toBe('bad id with spaces');
  });

  it('errors carry the request id so support can find the log line', async () => {
    const response = await gw.gql(CANCEL_MUTATION, cancelInput, { credential: READ_KEY, headers: { 'x-request-id': 'support-777' } });
    expect(response.body.errors?.[0]?.extensions?.['requestId']).toBe('support-777');
  });
});

describe('introspection', () => {
  const INTROSPECT = '{ __schema { queryType { name } } }';

  it('is open to authenticated callers outside production, never to anonymous ones', async () => {
    expect((await gw.gql(INTROSPECT, undefined, { credential: READ_KEY })).body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    expect((await gw.gql(INTROSPECT, undefined, { credential: null })).status).toBe(401);
  });

  describe('in production, enabled: only for callers with schema:introspect', () => {
    let prod: TestGateway;
    beforeAll(async () => {
      prod = await startTestGateway({
        introspection: 'scoped',
        auth: loadAuthConfig({
          GATEWAY_API_KEYS: JSON.stringify([
            ...TEST_API_KEYS,
            { name: 'schema-reader', keySha256: sha256Hex('pgw_test_introspect_key_1'), scopes: ['schema:introspect'] },
          ]),
        }),
      });
    });
    afterAll(() => prod.close());

    it('refuses a caller without the scope and admits one with it', async () => {
      const refused = await prod.gql(INTROSPECT, undefined, { credential: FULL_KEY });
      expect(refused.status).toBe(403);
      expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'schema:introspect' });
      const admitted = await prod.gql(INTROSPECT, undefined, { credential: 'pgw_test_introspect_key_1' });
      expect(admitted.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    });
  });

  describe('in production, not enabled', () => {
    let prod: TestGateway;
    beforeAll(async () => {
      prod = await startTestGateway({ introspection: 'off' });
    });
    afterAll(() => prod.close());

    it('is refused for everyone', async () => {
      const response = await prod.gql(INTROSPECT);
      expect(response.status).toBe(400);
      expect(response.body.data).toBeUndefined();
    });
  });
});
