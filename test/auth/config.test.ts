import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevelopmentKey, DEFAULT_JWT_ALGORITHMS, SCOPES, hasCredentials, loadAuthConfig, sha256Hex } from '../../src/auth/index.js';
import { AUDIENCE, configErrorOf, ISSUER, jwksOf, signingKey, tempDir, writeJson, type SigningKey } from './support.js';

const KEY = 'sk_live_correct-horse-battery-staple';
const HASH = sha256Hex(KEY);
const entry = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({ name: 'billing-service', keySha256: HASH, scopes: ['payments:read'], ...overrides });
const keys = (...entries: unknown[]): string => JSON.stringify(entries);

let dir: ReturnType<typeof tempDir>;
let rsa: SigningKey;
let jwksFile: string;

beforeAll(async () => {
  dir = tempDir();
  rsa = await signingKey('RS256', 'rsa-1');
  jwksFile = writeJson(dir.path, 'jwks.json', jwksOf(rsa));
});
afterAll(() => dir.remove());

const jwtEnv = (overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> => ({
  GATEWAY_JWKS_FILE: jwksFile,
  GATEWAY_JWT_ISSUER: ISSUER,
  GATEWAY_JWT_AUDIENCE: AUDIENCE,
  ...overrides,
});

describe('loadAuthConfig', () => {
  it('with nothing set has no credentials', () => {
    const config = loadAuthConfig({ GATEWAY_API_KEYS: '  ' });
    expect(config).toEqual({ apiKeys: [], jwt: null });
    expect(hasCredentials(config)).toBe(false);
  });

  it('reads API key entries, removing repeated scopes', () => {
    const other = sha256Hex('another key');
    const config = loadAuthConfig({
      GATEWAY_API_KEYS: keys(entry({ scopes: ['payments:read', 'payments:read', 'payments:cancel'] }), { name: 'staff-tool', keySha256: other, scopes: [] }),
    });
    expect(config.apiKeys).toEqual([
      { name: 'billing-service', keySha256: HASH, scopes: ['payments:read', 'payments:cancel'] },
      { name: 'staff-tool', keySha256: other, scopes: [] },
    ]);
    expect(config.jwt).toBeNull();
    expect(hasCredentials(config)).toBe(true);
  });

  it('reads a JWKS file once, with default algorithms and clock tolerance', () => {
    const config = loadAuthConfig(jwtEnv({ GATEWAY_JWT_AUDIENCE: `${AUDIENCE}, admin-console` }));
    expect(hasCredentials(config)).toBe(true);
    expect(config.jwt).toEqual({
      jwks: { kind: 'file', path: jwksFile, jwks: jwksOf(rsa) },
      issuer: ISSUER,
      audience: [AUDIENCE, 'admin-console'],
      algorithms: DEFAULT_JWT_ALGORITHMS,
      clockToleranceSeconds: 30,
    });
    expect(DEFAULT_JWT_ALGORITHMS).toEqual(['RS256', 'ES256']);
  });

  it('takes a JWKS URL with a bounded fetch, and pinned algorithms', () => {
    const config = loadAuthConfig(jwtEnv({ GATEWAY_JWKS_FILE: undefined, GATEWAY_JWKS_URL: 'https://sso.example.test/jwks', GATEWAY_JWT_ALGORITHMS: 'ES256, PS256,ES256' }));
    expect(config.jwt?.jwks).toEqual({ kind: 'url', url: new URL('https://sso.example.test/jwks'), timeoutMs: 3000, cooldownMs: 30_000, cacheMaxAgeMs: 600_000 });
    expect(config.jwt?.algorithms).toEqual(['ES256', 'PS256']);
    const local = loadAuthConfig(jwtEnv({ GATEWAY_JWKS_FILE: '', GATEWAY_JWKS_URL: 'http://127.0.0.1:9/jwks', GATEWAY_JWKS_TIMEOUT_MS: '250' }));
    expect(local.jwt?.jwks).toMatchObject({ kind: 'url', timeoutMs: 250 });
  });

  it('refuses the reserved development name, so only the generated key is a development key', () => {
    const { entry: development } = createDevelopmentKey();
    expect(configErrorOf(() => loadAuthConfig({ GATEWAY_API_KEYS: keys(development) })).message).toMatch(/^GATEWAY_API_KEYS \[0\]\.name "development" is reserved/);
  });

  describe('errors name the variable and never contain a secret', () => {
    const badKeys: [string, string, RegExp][] = [
      ['bad JSON (the plain key pasted in)', KEY, /^GATEWAY_API_KEYS is not valid JSON/],
      ['not an array', JSON.stringify(entry()), /^GATEWAY_API_KEYS must be a JSON array/],
      ['an entry that is not an object', keys('billing'), /\[0\] must be an object/],
      ['a plain-text key property', keys(entry({ key: KEY })), /\[0\] has an unknown property "key"/],
      ['a missing name', keys(entry({ name: undefined })), /\[0\]\.name must be/],
      ['an empty name', keys(entry({ name: '' })), /\[0\]\.name must be/],
      ['the key instead of its hash', keys(entry({ keySha256: KEY })), /\[0\]\.keySha256 must be 64 lower-case hex/],
      ['upper-case hex', keys(entry({ keySha256: HASH.toUpperCase() })), /\[0\]\.keySha256 must be 64 lower-case hex/],
      ['63 hex digits', keys(entry({ keySha256: HASH.slice(1) })), /\[0\]\.keySha256/],
      ['scopes not an array', keys(entry({ scopes: 'payments:read' })), /\[0\]\.scopes must be an array/],
      ['an unknown scope', keys(entry({ scopes: ['payments:read', 'payments:refund'] })), /\[0\]\.scopes may only contain payments:read, payments:cancel, schema:introspect/],
      ['a duplicate name', keys(entry(), entry({ keySha256: sha256Hex('x') })), /\[1\]\.name repeats the name of \[0\]/],
      ['a key shared by two entries', keys(entry(), entry({ name: 'other' })), /\[1\]\.keySha256 is the same as \[0\]/],
    ];
    it.each(badKeys)('GATEWAY_API_KEYS: %s', (_, value, message) => {
      const error = configErrorOf(() => loadAuthConfig({ GATEWAY_API_KEYS: value }));
      expect(error.variable).toBe('GATEWAY_API_KEYS');
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain(KEY);
      expect(error.message).not.toContain(HASH);
      expect(error.message.toLowerCase()).not.toContain(HASH);
    });

    const badJwt: [string, () => Record<string, string | undefined>, string, RegExp][] = [
      ['an unreadable JWKS file', () => jwtEnv({ GATEWAY_JWKS_FILE: `${dir.path}/missing.json` }), 'GATEWAY_JWKS_FILE', /cannot be read \(ENOENT\)/],
      ['a JWKS file that is not JSON', () => jwtEnv({ GATEWAY_JWKS_FILE: writeJson(dir.path, 'garbage.json', 'not json') }), 'GATEWAY_JWKS_FILE', /is not valid JSON/],
      ['a JWKS file without keys', () => jwtEnv({ GATEWAY_JWKS_FILE: writeJson(dir.path, 'empty.json', { keys: [] }) }), 'GATEWAY_JWKS_FILE', /at least one key/],
      ['a shared-secret key', () => jwtEnv({ GATEWAY_JWKS_FILE: writeJson(dir.path, 'oct.json', { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] }) }), 'GATEWAY_JWKS_FILE', /keys\[0\] must be a JWK with "kty" RSA, EC or OKP/],
      ['a private key', () => jwtEnv({ GATEWAY_JWKS_FILE: writeJson(dir.path, 'private.json', { keys: [{ ...rsa.publicJwk, d: 'c2VjcmV0' }] }) }), 'GATEWAY_JWKS_FILE', /keys\[0\] contains private key material/],
      ['both a file and a URL', () => jwtEnv({ GATEWAY_JWKS_URL: 'https://sso.example.test/jwks' }), 'GATEWAY_JWKS_URL', /must not be set together/],
      ['a URL that is not a URL', () => jwtEnv({ GATEWAY_JWKS_FILE: undefined, GATEWAY_JWKS_URL: 'sso/jwks' }), 'GATEWAY_JWKS_URL', /must be an absolute https URL/],
      ['plain http to another host', () => jwtEnv({ GATEWAY_JWKS_FILE: undefined, GATEWAY_JWKS_URL: 'http://sso.example.test/jwks' }), 'GATEWAY_JWKS_URL', /must be an https URL/],
      ['a URL with credentials', () => jwtEnv({ GATEWAY_JWKS_FILE: undefined, GATEWAY_JWKS_URL: 'https://user:hunter2@sso.example.test/jwks' }), 'GATEWAY_JWKS_URL', /must not contain credentials/],
      ['a timeout out of range', () => jwtEnv({ GATEWAY_JWKS_FILE: undefined, GATEWAY_JWKS_URL: 'https://sso.example.test/jwks', GATEWAY_JWKS_TIMEOUT_MS: '60000' }), 'GATEWAY_JWKS_TIMEOUT_MS', /from 100 to 30000/],
      ['a timeout with a file', () => jwtEnv({ GATEWAY_JWKS_TIMEOUT_MS: '500' }), 'GATEWAY_JWKS_TIMEOUT_MS', /only applies to GATEWAY_JWKS_URL/],
      ['no issuer', () => jwtEnv({ GATEWAY_JWT_ISSUER: undefined }), 'GATEWAY_JWT_ISSUER', /is required when a JWKS is configured/],
      ['an empty audience', () => jwtEnv({ GATEWAY_JWT_AUDIENCE: ' ' }), 'GATEWAY_JWT_AUDIENCE', /is required when a JWKS is configured/],
      ['an audience list with a hole', () => jwtEnv({ GATEWAY_JWT_AUDIENCE: 'a,,b' }), 'GATEWAY_JWT_AUDIENCE', /without empty items/],
      ['algorithm none', () => jwtEnv({ GATEWAY_JWT_ALGORITHMS: 'RS256,none' }), 'GATEWAY_JWT_ALGORITHMS', /must not contain none/],
      ['algorithm HS256', () => jwtEnv({ GATEWAY_JWT_ALGORITHMS: 'HS256' }), 'GATEWAY_JWT_ALGORITHMS', /must not contain HS256: only public-key/],
      ['an unknown algorithm', () => jwtEnv({ GATEWAY_JWT_ALGORITHMS: 'RS256,XY999' }), 'GATEWAY_JWT_ALGORITHMS', /must be a comma-separated list of RS256/],
      ['an empty algorithm', () => jwtEnv({ GATEWAY_JWT_ALGORITHMS: 'RS256,,ES256' }), 'GATEWAY_JWT_ALGORITHMS', /must be a comma-separated list/],
      ['an issuer without a JWKS', () => ({ GATEWAY_JWT_ISSUER: ISSUER }), 'GATEWAY_JWT_ISSUER', /neither GATEWAY_JWKS_FILE nor GATEWAY_JWKS_URL/],
      ['algorithms without a JWKS', () => ({ GATEWAY_JWT_ALGORITHMS: 'RS256' }), 'GATEWAY_JWT_ALGORITHMS', /neither GATEWAY_JWKS_FILE nor GATEWAY_JWKS_URL/],
    ];
    it.each(badJwt)('%s', (_, env, variable, message) => {
      const error = configErrorOf(() => loadAuthConfig(env()));
      expect(error.variable).toBe(variable);
      expect(error.message.startsWith(`${variable} `)).toBe(true);
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain('hunter2');
      expect(error.message).not.toContain('c2VjcmV0');
    });
  });
});

describe('createDevelopmentKey', () => {
  it('is random, carries every scope and is stored only as its hash', () => {
    const first = createDevelopmentKey();
    const second = createDevelopmentKey();
    expect(first.key).not.toBe(second.key);
    expect(first.key.length).toBeGreaterThanOrEqual(40);
    expect(first.key).not.toContain('.');
    expect(first.entry).toEqual({ name: 'development', keySha256: sha256Hex(first.key), scopes: [...SCOPES] });
    expect(JSON.stringify(first.entry)).not.toContain(first.key);
  });

  it('sha256Hex is the lower-case hex SHA-256 of the UTF-8 text', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
