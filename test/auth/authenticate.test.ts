import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator, createDevelopmentKey, SCOPES, ScopeSet, loadAuthConfig, sha256Hex, type AuthConfig, type Authenticator, type AuthFailureReason, type AuthResult, type Scope } from '../../src/auth/index.js';
import { AUDIENCE, hs256Token, ISSUER, jwksOf, signingKey, signToken, tempDir, unsignedToken, writeJson, type SigningKey } from './support.js';

const FULL_KEY = 'sk_full_8f3a1c9e7b2d4f60a1b2c3d4e5f60718';
const READ_KEY = 'sk_read_0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f';
const API_KEYS = JSON.stringify([
  { name: 'billing-service', keySha256: sha256Hex(FULL_KEY), scopes: ['payments:read', 'payments:cancel', 'schema:introspect'] },
  { name: 'reporting', keySha256: sha256Hex(READ_KEY), scopes: ['payments:read'] },
]);

let dir: ReturnType<typeof tempDir>;
let rsa: SigningKey;
let ec: SigningKey;
/** An RSA key the JWKS does not hold. */
let stranger: SigningKey;
/** A key in the JWKS, but for RS384, which is not among the pinned algorithms. */
let rs384: SigningKey;
let config: AuthConfig;
let auth: Authenticator;
const verifierErrors: unknown[] = [];

beforeAll(async () => {
  dir = tempDir();
  [rsa, ec, stranger, rs384] = await Promise.all([signingKey('RS256', 'rsa-1'), signingKey('ES256', 'ec-1'), signingKey('RS256', 'rsa-9'), signingKey('RS384', 'rsa-384')]);
  const jwksFile = writeJson(dir.path, 'jwks.json', jwksOf(rsa, ec, rs384));
  config = loadAuthConfig({ GATEWAY_API_KEYS: API_KEYS, GATEWAY_JWKS_FILE: jwksFile, GATEWAY_JWT_ISSUER: ISSUER, GATEWAY_JWT_AUDIENCE: AUDIENCE });
  auth = await createAuthenticator(config, { onVerifierError: (error) => verifierErrors.push(error) });
});
afterAll(() => dir.remove());

const bearer = (credential: string): string => `Bearer ${credential}`;
const now = (): number => Math.floor(Date.now() / 1000);

/** Checks what every result must satisfy: a failure's message never contains the credential. */
async function authenticate(header: string | undefined, credential?: string): Promise<AuthResult> {
  const result = await auth.authenticate(header);
  if (!result.ok) {
    for (const secret of [credential, FULL_KEY, READ_KEY, header].filter((s): s is string => s !== undefined && s.length > 8)) {
      expect(result.message).not.toContain(secret);
    }
    expect(result.message).not.toMatch(/billing-service|reporting|rsa-1|ec-1/);
  }
  return result;
}

function expectCaller(result: AuthResult, name: string, kind: string, scopes: Scope[]): void {
  expect(result.ok).toBe(true);
  if (!result.ok) return;
  expect(result.caller.name).toBe(name);
  expect(result.caller.kind).toBe(kind);
  expect([...result.caller.scopes].sort()).toEqual([...scopes].sort());
}

describe('the Authorization header', () => {
  const cases: [string, string | undefined, AuthFailureReason][] = [
    ['absent', undefined, 'missing'],
    ['empty', '', 'missing'],
    ['only spaces', '   ', 'missing'],
    ['Basic credentials', 'Basic dXNlcjpwYXNz', 'malformed'],
    ['Bearer without a token', 'Bearer', 'malformed'],
    ['Bearer and a space', 'Bearer ', 'malformed'],
    ['a token without a scheme', FULL_KEY, 'malformed'],
    ['two tokens', `Bearer ${FULL_KEY} ${READ_KEY}`, 'malformed'],
    ['a comma-separated pair', `Bearer ${FULL_KEY},${READ_KEY}`, 'invalid'],
    ['a tab instead of a space', `Bearer\t${FULL_KEY}`, 'malformed'],
    ['another scheme of six letters', `Bearex ${FULL_KEY}`, 'malformed'],
    ['a scheme beginning with Bearer', `Bearers ${FULL_KEY}`, 'malformed'],
    ['a scheme Bearer ends', `XBearer ${FULL_KEY}`, 'malformed'],
    ['a DEL character', `Bearer ${FULL_KEY}\u007f`, 'malformed'],
    ['a tab inside the token', `Bearer ${FULL_KEY.slice(0, 8)}\t${FULL_KEY.slice(8)}`, 'malformed'],
    ['visible ASCII from ! to ~ (a well-formed unknown key)', `Bearer !${FULL_KEY}~`, 'invalid'],
    ['a non-ASCII token', `Bearer ${FULL_KEY}é`, 'malformed'],
    ['a control character', `Bearer ${FULL_KEY}\u0000`, 'malformed'],
    ['a huge header', bearer('a'.repeat(9000)), 'malformed'],
    ['a huge JWT-shaped header', bearer(`${'a'.repeat(4000)}.${'b'.repeat(4000)}.${'c'.repeat(400)}`), 'malformed'],
  ];
  it.each(cases)('%s → %s', async (_, header, reason) => {
    const result = await authenticate(header, header?.replace(/^\S+\s*/, ''));
    expect(result).toMatchObject({ ok: false, reason });
    if (!result.ok) expect(result.message.length).toBeGreaterThan(0);
  });

  it.each(['Bearer', 'bearer', 'BEARER', 'bEaReR'])('accepts the scheme spelt %s, and spaces around the header', async (scheme) => {
    expectCaller(await authenticate(` ${scheme}  ${FULL_KEY} `), 'billing-service', 'api-key', ['payments:read', 'payments:cancel', 'schema:introspect']);
  });
});

describe('API keys', () => {
  it('the right key gives its entry with all its scopes', async () => {
    expectCaller(await authenticate(bearer(FULL_KEY)), 'billing-service', 'api-key', ['payments:read', 'payments:cancel', 'schema:introspect']);
  });

  it('a read-only key gives only payments:read', async () => {
    expectCaller(await authenticate(bearer(READ_KEY)), 'reporting', 'api-key', ['payments:read']);
  });

  const unknown: [string, string][] = [
    ['an unknown key', 'sk_full_00000000000000000000000000000000'],
    ['the right key with one character more', `${FULL_KEY}0`],
    ['the right key in upper case', FULL_KEY.toUpperCase()],
    ['the hash of the right key', sha256Hex(FULL_KEY)],
    ['the name of an entry', 'billing-service'],
  ];
  it.each(unknown)('%s is invalid, with the same message as any other unknown key', async (_, key) => {
    const result = await authenticate(bearer(key), key);
    expect(result).toEqual({ ok: false, reason: 'invalid', message: 'The credential was not accepted.' });
  });

  it('a development key is a development-key caller named development with every scope', async () => {
    const development = createDevelopmentKey();
    const withDevelopment = await createAuthenticator({ apiKeys: [...config.apiKeys, development.entry], jwt: null });
    expectCaller(await withDevelopment.authenticate(bearer(development.key)), 'development', 'development-key', [...SCOPES]);
    expectCaller(await withDevelopment.authenticate(bearer(READ_KEY)), 'reporting', 'api-key', ['payments:read']);
    expect(await auth.authenticate(bearer(development.key))).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('among 5000 entries, every key finds its own, wherever it stands; a digest listed twice finds the first', async () => {
    const keyOf = (i: number) => `sk_many_${i}_${'x'.repeat(24)}`;
    const entries = Array.from({ length: 5000 }, (_, i) => ({ name: `service-${i}`, keySha256: sha256Hex(keyOf(i)), scopes: ['payments:read' as const] }));
    const many = await createAuthenticator({ apiKeys: [...entries, { name: 'again', keySha256: sha256Hex(keyOf(7)), scopes: ['payments:cancel'] }], jwt: null });
    for (const i of [0, 1, 7, 2500, 4999]) expectCaller(await many.authenticate(bearer(keyOf(i))), `service-${i}`, 'api-key', ['payments:read']);
    expect(await many.authenticate(bearer(keyOf(5000)))).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await many.authenticate(bearer(entries[3]!.keySha256))).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it("no caller can change a caller's scopes: the set has no add, delete or clear, and Set's own refuse it", async () => {
    const first = await auth.authenticate(bearer(READ_KEY));
    if (!first.ok) throw new Error('expected the key to pass');
    const scopes = first.caller.scopes as unknown as Record<string, unknown>;
    for (const method of ['add', 'delete', 'clear']) expect(scopes[method]).toBeUndefined();
    expect(() => Set.prototype.add.call(first.caller.scopes, 'payments:cancel')).toThrow(TypeError);
    expect(() => Set.prototype.clear.call(first.caller.scopes)).toThrow(TypeError);
    expect(() => Object.assign(first.caller, { scopes: new Set(SCOPES) })).toThrow(TypeError);
    expect(() => Object.assign(first.caller.scopes, { has: () => true })).toThrow(TypeError);
    const second = await auth.authenticate(bearer(READ_KEY));
    if (!second.ok) throw new Error('expected the key to pass');
    expect([...second.caller.scopes]).toEqual(['payments:read']);
    expect(second.caller.scopes.has('payments:cancel')).toBe(false);
    expect(second.caller.scopes.size).toBe(1);
  });

  it('a scope set reads as a set: size, has, iteration, entries, keys, values, forEach', () => {
    const scopes = new ScopeSet(['payments:read', 'payments:cancel', 'payments:read']);
    expect(scopes.size).toBe(2);
    expect([scopes.has('payments:cancel'), scopes.has('schema:introspect')]).toEqual([true, false]);
    expect([...scopes]).toEqual(['payments:read', 'payments:cancel']);
    expect([...scopes.values()]).toEqual([...scopes.keys()]);
    expect([...scopes.entries()]).toEqual([['payments:read', 'payments:read'], ['payments:cancel', 'payments:cancel']]);
    const seen: unknown[] = [];
    scopes.forEach(function (this: unknown, value, key, set) {
      seen.push([value, key, set === scopes, this]);
    }, 'context');
    expect(seen).toEqual([['payments:read', 'payments:read', true, 'context'], ['payments:cancel', 'payments:cancel', true, 'context']]);
  });
});

describe('JWTs', () => {
  const accepted: [string, () => Promise<string>, string, Scope[]][] = [
    ['an RS256 token', () => signToken(rsa), 'user-42', ['payments:read']],
    ['an ES256 token', () => signToken(ec, { claims: { sub: 'ops@example.test', scope: 'payments:read payments:cancel' } }), 'ops@example.test', ['payments:read', 'payments:cancel']],
    ['a token without kid (the key is found by type)', () => signToken(ec, { kid: null }), 'user-42', ['payments:read']],
    ['scope with unknown values (ignored)', () => signToken(rsa, { claims: { scope: 'openid payments:read admin:all  payments:refund' } }), 'user-42', ['payments:read']],
    ['scp as an array', () => signToken(rsa, { claims: { scope: undefined, scp: ['schema:introspect', 'payments:cancel', 'email', 7] } }), 'user-42', ['schema:introspect', 'payments:cancel']],
    ['scope and scp together', () => signToken(rsa, { claims: { scope: 'payments:read', scp: ['payments:cancel'] } }), 'user-42', ['payments:read', 'payments:cancel']],
    ['no scope at all', () => signToken(rsa, { omit: ['scope'] }), 'user-42', []],
    ['a scope claim of the wrong type', () => signToken(rsa, { claims: { scope: ['payments:read'] } }), 'user-42', []],
    ['an audience list containing ours', () => signToken(rsa, { claims: { aud: ['other-app', AUDIENCE] } }), 'user-42', ['payments:read']],
    ['expired 10 s ago (within the clock tolerance)', () => signToken(rsa, { claims: { exp: now() - 10 } }), 'user-42', ['payments:read']],
    ['valid from 10 s from now (within the clock tolerance)', () => signToken(rsa, { claims: { nbf: now() + 10 } }), 'user-42', ['payments:read']],
  ];
  it.each(accepted)('accepts %s', async (_, token, name, scopes) => {
    expectCaller(await authenticate(bearer(await token())), name, 'jwt', scopes);
  });

  const refused: [string, () => Promise<string>, 'invalid' | 'expired'][] = [
    ['an expired token', () => signToken(rsa, { claims: { exp: now() - 3600 } }), 'expired'],
    ['an expired ES256 token', () => signToken(ec, { claims: { exp: now() - 120 } }), 'expired'],
    ['an expired token signed by a stranger (the signature comes first)', () => signToken(stranger, { claims: { exp: now() - 3600 } }), 'invalid'],
    ['a token not yet valid', () => signToken(rsa, { claims: { nbf: now() + 3600 } }), 'invalid'],
    ['the wrong audience', () => signToken(rsa, { claims: { aud: 'another-api' } }), 'invalid'],
    ['no audience', () => signToken(rsa, { omit: ['aud'] }), 'invalid'],
    ['the wrong issuer', () => signToken(rsa, { claims: { iss: 'https://evil.example.test/' } }), 'invalid'],
    ['no issuer', () => signToken(rsa, { omit: ['iss'] }), 'invalid'],
    ['no exp', () => signToken(rsa, { omit: ['exp'] }), 'invalid'],
    ['no sub', () => signToken(rsa, { omit: ['sub'] }), 'invalid'],
    ['an empty sub', () => signToken(rsa, { claims: { sub: '' } }), 'invalid'],
    ['HS256 signed with a guessable secret', () => hs256Token('secret', 'rsa-1'), 'invalid'],
    ['HS256 signed with the RSA public key as the secret', () => hs256Token(JSON.stringify(rsa.publicJwk), 'rsa-1'), 'invalid'],
    ['alg none', async () => unsignedToken(), 'invalid'],
    ['an algorithm not pinned (RS384, key in the JWKS)', () => signToken(rs384), 'invalid'],
    ['a key not in the JWKS (unknown kid)', () => signToken(stranger), 'invalid'],
    ['a key not in the JWKS claiming a known kid', () => signToken(stranger, { kid: 'rsa-1' }), 'invalid'],
    ['a tampered payload', async () => {
      const [header, , signature] = (await signToken(rsa)).split('.');
      const payload = Buffer.from(JSON.stringify({ sub: 'admin', iss: ISSUER, aud: AUDIENCE, exp: now() + 600, scope: 'payments:cancel' })).toString('base64url');
      return `${header}.${payload}.${signature}`;
    }, 'invalid'],
    ['JWT-shaped garbage', async () => 'aaaa.bbbb.cccc', 'invalid'],
  ];
  it.each(refused)('refuses %s', async (_, token, reason) => {
    const credential = await token();
    const result = await authenticate(bearer(credential), credential);
    expect(result).toMatchObject({ ok: false, reason });
  });

  it('rejections caused by the token are not reported as verifier errors', () => {
    expect(verifierErrors).toEqual([]);
  });

  it('without a JWKS, a JWT is invalid (and never tried as an API key)', async () => {
    const apiKeysOnly = await createAuthenticator({ apiKeys: [{ name: 'dotted', keySha256: sha256Hex('aaaa.bbbb.cccc'), scopes: ['payments:read'] }], jwt: null });
    expect(await apiKeysOnly.authenticate(bearer(await signToken(rsa)))).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await apiKeysOnly.authenticate(bearer('aaaa.bbbb.cccc'))).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await apiKeysOnly.authenticate(bearer('aaaa.bbbb.cc.dd'))).toMatchObject({ ok: false, reason: 'invalid' });
  });
});

describe('authenticateNow (the lean path\'s)', () => {
  it('answers API keys and refusals without a promise, and as authenticate does', async () => {
    for (const header of [bearer(FULL_KEY), bearer(READ_KEY), bearer('sk_unknown_0000000000000000'), undefined, 'Basic x', `Bearer ${'a'.repeat(9000)}`]) {
      const now = auth.authenticateNow(header);
      expect(now).not.toBeInstanceOf(Promise);
      expect(now).toEqual(await auth.authenticate(header));
    }
  });

  it('answers a JWT with a promise, settling as authenticate does', async () => {
    for (const token of [await signToken(rsa), await signToken(stranger)]) {
      const now = auth.authenticateNow(bearer(token));
      expect(now).toBeInstanceOf(Promise);
      expect(await now).toEqual(await auth.authenticate(bearer(token)));
    }
  });
});
