/**
 * A JWKS fetched over HTTP from a local server on 127.0.0.1: used and cached when it answers;
 * when it never answers, fails or is gone, the request is refused as `invalid` within jose's
 * timeout and the failure is reported, never thrown.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { errors } from 'jose';
import { createAuthenticator, loadAuthConfig, type AuthConfig } from '../../src/auth/index.js';
import { AUDIENCE, httpServer, ISSUER, jwksOf, signingKey, signToken, type SigningKey } from './support.js';

let rsa: SigningKey;
let ec: SigningKey;
const servers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  [rsa, ec] = await Promise.all([signingKey('RS256', 'rsa-1'), signingKey('ES256', 'ec-1')]);
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((close) => close()));
});

function remoteConfig(url: string, timeoutMs?: number): AuthConfig {
  return loadAuthConfig({
    GATEWAY_JWKS_URL: url,
    GATEWAY_JWT_ISSUER: ISSUER,
    GATEWAY_JWT_AUDIENCE: AUDIENCE,
    GATEWAY_JWKS_TIMEOUT_MS: timeoutMs === undefined ? undefined : String(timeoutMs),
  });
}

describe('a remote JWKS', () => {
  it('verifies tokens with keys fetched once and cached', async () => {
    const paths: string[] = [];
    const { url, close } = await httpServer((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwksOf(rsa, ec)));
    });
    servers.push(close);
    const auth = await createAuthenticator(remoteConfig(url));
    expect(paths).toEqual([]); // nothing is fetched before the first token
    for (const key of [rsa, ec, rsa]) {
      expect(await auth.authenticate(`Bearer ${await signToken(key)}`)).toMatchObject({ ok: true, caller: { name: 'user-42', kind: 'jwt' } });
    }
    expect(await auth.authenticate(`Bearer ${await signToken(rsa, { claims: { exp: Math.floor(Date.now() / 1000) - 3600 } })}`)).toMatchObject({ ok: false, reason: 'expired' });
    expect(paths).toEqual(['/.well-known/jwks.json']);
  });

  it('that never answers gives invalid within the default timeout, reported as a JWKS timeout', async () => {
    const { url, close } = await httpServer(() => {
      // Accepts the request and never answers.
    });
    servers.push(close);
    const reported: unknown[] = [];
    const config = remoteConfig(url);
    expect(config.jwt?.jwks).toMatchObject({ kind: 'url', timeoutMs: 3000 });
    const auth = await createAuthenticator(config, { onVerifierError: (error) => reported.push(error) });
    const started = performance.now();
    const token = await signToken(rsa);
    const result = await auth.authenticate(`Bearer ${token}`);
    const elapsed = performance.now() - started;
    expect(result).toMatchObject({ ok: false, reason: 'invalid' });
    if (!result.ok) expect(result.message).not.toContain(token);
    expect(elapsed).toBeLessThan(5000);
    expect(reported).toHaveLength(1);
    expect(reported[0]).toBeInstanceOf(errors.JWKSTimeout);
  });

  it('that answers with an error gives invalid, reported', async () => {
    const { url, close } = await httpServer((_, res) => res.writeHead(503).end('down for maintenance'));
    servers.push(close);
    const reported: unknown[] = [];
    const auth = await createAuthenticator(remoteConfig(url, 500), { onVerifierError: (error) => reported.push(error) });
    expect(await auth.authenticate(`Bearer ${await signToken(rsa)}`)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(reported).toHaveLength(1);
  });

  it('that is gone (connection refused) gives invalid, reported', async () => {
    const { url, close } = await httpServer(() => {});
    await close();
    const reported: unknown[] = [];
    const auth = await createAuthenticator(remoteConfig(url, 500), { onVerifierError: (error) => reported.push(error) });
    const started = performance.now();
    expect(await auth.authenticate(`Bearer ${await signToken(rsa)}`)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(reported).toHaveLength(1);
  });

  it('is not fetched for an API key or a malformed header', async () => {
    let requests = 0;
    const { url, close } = await httpServer((_, res) => {
      requests += 1;
      res.writeHead(200).end(JSON.stringify(jwksOf(rsa)));
    });
    servers.push(close);
    const auth = await createAuthenticator(remoteConfig(url));
    expect(await auth.authenticate('Bearer sk_unknown_key')).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await auth.authenticate('Bearer a.b c')).toMatchObject({ ok: false, reason: 'malformed' });
    expect(requests).toBe(0);
  });
});
