/**
 * Authentication settings from the environment. Anything invalid throws one ConfigError naming
 * the variable; messages point at an entry by its position and never repeat a key, a hash or
 * the raw JSON (Node's JSON.parse errors quote the input, so they are not passed on).
 */
import { readFileSync } from 'node:fs';
import type { JSONWebKeySet, JWK } from 'jose';
// ConfigError lives in its own module (re-exported by src/config.ts) so that src/config.ts can
// import this module without an import cycle.
import { ConfigError } from '../config-error.js';
import { DEVELOPMENT_KEY_NAME } from './api-keys.js';
import { isScope, JWT_ALGORITHMS, SCOPES, type ApiKeyEntry, type AuthConfig, type JwtAlgorithm, type JwtConfig, type JwksSource, type Scope } from './types.js';

type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_JWT_ALGORITHMS: readonly JwtAlgorithm[] = ['RS256', 'ES256'];
export const JWT_CLOCK_TOLERANCE_SECONDS = 30;
export const JWKS_DEFAULT_TIMEOUT_MS = 3000;
const JWKS_COOLDOWN_MS = 30_000;
const JWKS_CACHE_MAX_AGE_MS = 10 * 60_000;

const API_KEYS = 'GATEWAY_API_KEYS';
const ENTRY_SHAPE = 'must be a JSON array of {"name", "keySha256", "scopes"} objects';
const NAME_PATTERN = /^[A-Za-z0-9][\w.:@/-]{0,99}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
/** Members that only a private or symmetric key has: a JWKS for verifying must hold none of them. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** A variable's value, with unset and empty treated alike. */
function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function apiKeyEntry(raw: unknown, at: string): ApiKeyEntry {
  if (!isRecord(raw)) throw new ConfigError(API_KEYS, `${at} must be an object with "name", "keySha256" and "scopes"`);
  const unknown = Object.keys(raw).find((key) => key !== 'name' && key !== 'keySha256' && key !== 'scopes');
  // Only a property name is printed, never its value (it might be a plain-text key).
  if (unknown !== undefined) throw new ConfigError(API_KEYS, `${at} has an unknown property ${JSON.stringify(unknown.slice(0, 40))}`);
  const { name, keySha256, scopes } = raw;
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    throw new ConfigError(API_KEYS, `${at}.name must be 1-100 characters: letters, digits and . _ : @ / -, starting with a letter or digit`);
  }
  if (name === DEVELOPMENT_KEY_NAME) throw new ConfigError(API_KEYS, `${at}.name "${DEVELOPMENT_KEY_NAME}" is reserved for the generated development key`);
  if (typeof keySha256 !== 'string' || !SHA256_HEX.test(keySha256)) {
    throw new ConfigError(API_KEYS, `${at}.keySha256 must be 64 lower-case hex digits: the SHA-256 of the key, never the key itself`);
  }
  if (!Array.isArray(scopes)) throw new ConfigError(API_KEYS, `${at}.scopes must be an array of ${SCOPES.join(', ')}`);
  const known: Scope[] = [];
  for (const scope of scopes as unknown[]) {
    if (!isScope(scope)) throw new ConfigError(API_KEYS, `${at}.scopes may only contain ${SCOPES.join(', ')}`);
    if (!known.includes(scope)) known.push(scope);
  }
  return Object.freeze({ name, keySha256, scopes: Object.freeze(known) });
}

function apiKeys(env: Env): readonly ApiKeyEntry[] {
  const raw = read(env, API_KEYS);
  if (raw === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(API_KEYS, `is not valid JSON: it ${ENTRY_SHAPE}`);
  }
  if (!Array.isArray(parsed)) throw new ConfigError(API_KEYS, ENTRY_SHAPE);
  const entries = parsed.map((entry: unknown, i) => apiKeyEntry(entry, `[${i}]`));
  entries.forEach((entry, i) => {
    const first = entries.findIndex((other) => other.name === entry.name);
    if (first !== i) throw new ConfigError(API_KEYS, `[${i}].name repeats the name of [${first}]; names must be unique`);
    const sameKey = entries.findIndex((other) => other.keySha256 === entry.keySha256);
    if (sameKey !== i) throw new ConfigError(API_KEYS, `[${i}].keySha256 is the same as [${sameKey}]'s; every entry needs its own key`);
  });
  return Object.freeze(entries);
}

function algorithms(env: Env): readonly JwtAlgorithm[] {
  const name = 'GATEWAY_JWT_ALGORITHMS';
  const raw = read(env, name);
  if (raw === undefined) return DEFAULT_JWT_ALGORITHMS;
  const list: JwtAlgorithm[] = [];
  for (const item of raw.split(',').map((part) => part.trim())) {
    if (item.toLowerCase() === 'none' || /^hs\d*$/i.test(item)) {
      throw new ConfigError(name, `must not contain ${item}: only public-key algorithms are accepted (${JWT_ALGORITHMS.join(', ')})`);
    }
    const known = JWT_ALGORITHMS.find((alg) => alg === item);
    if (known === undefined) throw new ConfigError(name, `must be a comma-separated list of ${JWT_ALGORITHMS.join(', ')}`);
    if (!list.includes(known)) list.push(known);
  }
  return Object.freeze(list);
}

function timeoutMs(env: Env): number {
  const name = 'GATEWAY_JWKS_TIMEOUT_MS';
  const raw = read(env, name);
  if (raw === undefined) return JWKS_DEFAULT_TIMEOUT_MS;
  if (!/^\d+$/.test(raw) || Number(raw) < 100 || Number(raw) > 30_000) throw new ConfigError(name, 'must be an integer from 100 to 30000');
  return Number(raw);
}

/** A public-key JWKS: {"keys": [...]} with asymmetric keys and no private parts. */
function publicKeySet(name: string, parsed: unknown): JSONWebKeySet {
  const keys = isRecord(parsed) ? parsed['keys'] : undefined;
  if (!Array.isArray(keys) || keys.length === 0) throw new ConfigError(name, 'must hold a JSON Web Key Set: {"keys": [...]} with at least one key');
  keys.forEach((key: unknown, i) => {
    if (!isRecord(key) || !['RSA', 'EC', 'OKP'].includes(key['kty'] as string)) {
      throw new ConfigError(name, `keys[${i}] must be a JWK with "kty" RSA, EC or OKP (shared-secret "oct" keys are refused)`);
    }
    if (PRIVATE_MEMBERS.some((member) => member in key)) throw new ConfigError(name, `keys[${i}] contains private key material; publish only public keys`);
  });
  return { keys: keys as JWK[] };
}

function jwksFromFile(path: string): JwksSource {
  const name = 'GATEWAY_JWKS_FILE';
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(name, `cannot be read${typeof code === 'string' ? ` (${code})` : ''}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(name, 'is not valid JSON: it must hold a JSON Web Key Set');
  }
  return { kind: 'file', path, jwks: publicKeySet(name, parsed) };
}

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

function jwksFromUrl(env: Env, raw: string): JwksSource {
  const name = 'GATEWAY_JWKS_URL';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'must be an absolute https URL');
  }
  const loopback = LOOPBACK_HOSTS.includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw new ConfigError(name, 'must be an https URL (http only for localhost)');
  if (url.username || url.password) throw new ConfigError(name, 'must not contain credentials');
  return { kind: 'url', url, timeoutMs: timeoutMs(env), cooldownMs: JWKS_COOLDOWN_MS, cacheMaxAgeMs: JWKS_CACHE_MAX_AGE_MS };
}

function jwtConfig(env: Env): JwtConfig | null {
  const file = read(env, 'GATEWAY_JWKS_FILE');
  const url = read(env, 'GATEWAY_JWKS_URL');
  const issuer = read(env, 'GATEWAY_JWT_ISSUER');
  const audience = read(env, 'GATEWAY_JWT_AUDIENCE');
  if (file === undefined && url === undefined) {
    const stray = ['GATEWAY_JWT_ISSUER', 'GATEWAY_JWT_AUDIENCE', 'GATEWAY_JWT_ALGORITHMS', 'GATEWAY_JWKS_TIMEOUT_MS'].find((name) => read(env, name) !== undefined);
    if (stray !== undefined) throw new ConfigError(stray, 'is set but neither GATEWAY_JWKS_FILE nor GATEWAY_JWKS_URL is');
    return null;
  }
  if (file !== undefined && url !== undefined) throw new ConfigError('GATEWAY_JWKS_URL', 'must not be set together with GATEWAY_JWKS_FILE');
  if (issuer === undefined) throw new ConfigError('GATEWAY_JWT_ISSUER', 'is required when a JWKS is configured');
  if (audience === undefined) throw new ConfigError('GATEWAY_JWT_AUDIENCE', 'is required when a JWKS is configured');
  const audiences = audience.split(',').map((part) => part.trim());
  if (audiences.some((part) => part === '')) throw new ConfigError('GATEWAY_JWT_AUDIENCE', 'must be one audience or a comma-separated list without empty items');
  if (file !== undefined && read(env, 'GATEWAY_JWKS_TIMEOUT_MS') !== undefined) {
    throw new ConfigError('GATEWAY_JWKS_TIMEOUT_MS', 'only applies to GATEWAY_JWKS_URL');
  }
  return Object.freeze({
    jwks: file !== undefined ? jwksFromFile(file) : jwksFromUrl(env, url!),
    issuer,
    audience: Object.freeze(audiences),
    algorithms: algorithms(env),
    clockToleranceSeconds: JWT_CLOCK_TOLERANCE_SECONDS,
  });
}

/** Reads GATEWAY_API_KEYS and GATEWAY_JWKS_FILE / GATEWAY_JWKS_URL with their GATEWAY_JWT_* settings. */
export function loadAuthConfig(env: Env): AuthConfig {
  return Object.freeze({ apiKeys: apiKeys(env), jwt: jwtConfig(env) });
}

/** Whether any real credential is configured (API keys or a JWKS). */
export function hasCredentials(config: AuthConfig): boolean {
  return config.apiKeys.length > 0 || config.jwt !== null;
}
