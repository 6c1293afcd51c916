/**
 * Configuration from the environment (DESIGN §2). Anything invalid stops start-up with one
 * ConfigError naming the variable; secret values never appear in a message.
 */
import { hasCredentials, loadAuthConfig, type AuthConfig } from './auth/index.js';
import { ConfigError } from './config-error.js';
import { Secret } from './domain/secret.js';
import { loadTrustedDocuments, type TrustedDocuments } from './graphql/plugins/trusted-documents.js';

export { ConfigError };

export type HmacSettings =
  | { readonly mode: 'sandbox' }
  | { readonly mode: 'remote'; readonly baseUrl: URL; readonly apiKey: Secret; readonly apiSecret: Secret };

export type PrimerSettings =
  | { readonly mode: 'sandbox' }
  | { readonly mode: 'remote'; readonly baseUrl: URL; readonly apiKey: Secret };

/** Abuse limits: each refused with HTTP 400 (413 for the body) before any provider call. */
export interface GatewayLimits {
  readonly maxCancelsPerOperation: number;
  readonly maxPaymentIds: number;
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxCost: number;
  readonly maxTokens: number;
  readonly maxBodyBytes: number;
}

export const DEFAULT_LIMITS: GatewayLimits = {
  maxCancelsPerOperation: 1,
  maxPaymentIds: 100,
  maxDepth: 8,
  maxAliases: 15,
  maxCost: 5000,
  maxTokens: 2000,
  maxBodyBytes: 65_536,
};

export interface CancelRateLimit {
  /** Cancels a caller may send in a burst. */
  readonly burst: number;
  /** Sustained cancels per minute per caller. */
  readonly perMinute: number;
}

export interface GatewayConfig {
  readonly port: number;
  readonly host: string;
  readonly hmac: HmacSettings;
  readonly primer: PrimerSettings;
  /** Total deadline of one provider call. */
  readonly providerTimeoutMs: number;
  /** Shared state for several instances (the idempotency ledger); in memory when unset. */
  readonly redisUrl: Secret | null;
  /** How long a cancel's outcome is kept under its idempotency key. */
  readonly idempotencyTtlSeconds: number;
  /** Who may call (GATEWAY_API_KEYS, GATEWAY_JWKS_*); see src/auth. */
  readonly auth: AuthConfig;
  /** NODE_ENV=production. */
  readonly production: boolean;
  /** Schema introspection: on for every caller outside production; in production off unless enabled, and then scoped. */
  readonly introspection: 'open' | 'scoped' | 'off';
  readonly limits: GatewayLimits;
  readonly cancelRateLimit: CancelRateLimit;
  /** TRUSTED_DOCUMENTS: a persisted-documents manifest; only its documents run. */
  readonly trustedDocuments: TrustedDocuments | null;
  /** WEB_CONCURRENCY: worker processes sharing the port (default 1: this process serves). */
  readonly workers: number;
  /** GATEWAY_GRAPHIQL: serve the GraphiQL page at /graphiql (default true). */
  readonly graphiql: boolean;
  /** PROVIDER_BREAKER_FAILURES, PROVIDER_BREAKER_OPEN_SECONDS: each provider's circuit breaker. */
  readonly breaker: { readonly failures: number; readonly openSeconds: number };
  readonly logLevel: string;
}

export const PRIMER_DEFAULT_BASE_URL = 'https://api.sandbox.primer.io';
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

type Env = Readonly<Record<string, string | undefined>>;

/** A variable's value, with unset and empty treated alike. */
function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `must be an integer from ${min} to ${max}`);
  }
  return Number(raw);
}

function baseUrl(name: string, raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'must be an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(name, 'must be an http(s) URL');
  if (url.username || url.password) throw new ConfigError(name, 'must not contain credentials');
  if (url.search || url.hash) throw new ConfigError(name, 'must not contain a query or fragment');
  return url;
}

/** A redis:// or rediss:// URL; it may carry a password, so it is kept as a Secret. */
function redisUrl(env: Env): Secret | null {
  const raw = read(env, 'REDIS_URL');
  if (raw === undefined) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('REDIS_URL', 'must be a redis:// or rediss:// URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new ConfigError('REDIS_URL', 'must be a redis:// or rediss:// URL');
  return new Secret(raw);
}

function hmacSettings(env: Env): HmacSettings {
  const names = ['HMAC_API_BASE_URL', 'HMAC_API_KEY', 'HMAC_API_SECRET'] as const;
  const values = names.map((name) => read(env, name));
  if (values.every((value) => value === undefined)) return { mode: 'sandbox' };
  const missing = names.find((_, i) => values[i] === undefined);
  if (missing) throw new ConfigError(missing, 'is required when any HMAC_API_* variable is set');
  const [url, key, secret] = values as [string, string, string];
  return { mode: 'remote', baseUrl: baseUrl('HMAC_API_BASE_URL', url), apiKey: new Secret(key), apiSecret: new Secret(secret) };
}

function primerSettings(env: Env): PrimerSettings {
  const url = read(env, 'PRIMER_API_BASE_URL');
  const key = read(env, 'PRIMER_API_KEY');
  if (key === undefined) {
    if (url !== undefined) throw new ConfigError('PRIMER_API_KEY', 'is required when PRIMER_API_BASE_URL is set');
    return { mode: 'sandbox' };
  }
  return { mode: 'remote', baseUrl: baseUrl('PRIMER_API_BASE_URL', url ?? PRIMER_DEFAULT_BASE_URL), apiKey: new Secret(key) };
}

function trustedDocuments(env: Env): TrustedDocuments | null {
  const path = read(env, 'TRUSTED_DOCUMENTS');
  if (path === undefined) return null;
  try {
    return loadTrustedDocuments(path);
  } catch (error) {
    throw new ConfigError('TRUSTED_DOCUMENTS', `is not usable: ${error instanceof Error ? error.message : 'unreadable manifest'}`);
  }
}

function flag(env: Env, name: string): boolean | undefined {
  const raw = read(env, name)?.toLowerCase();
  if (raw === undefined) return undefined;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(name, 'must be true or false');
}

function workers(env: Env): number {
  const count = integer(env, 'WEB_CONCURRENCY', 1, 1, 64);
  // Workers must share idempotency keys and rate limits, or two of them could each send the
  // cancel of one key: several need Redis.
  if (count > 1 && read(env, 'REDIS_URL') === undefined) {
    throw new ConfigError('WEB_CONCURRENCY', 'more than one worker needs REDIS_URL, so that idempotency keys and rate limits are shared');
  }
  return count;
}

function introspection(env: Env, production: boolean): GatewayConfig['introspection'] {
  const enabled = flag(env, 'GATEWAY_INTROSPECTION');
  if (!production) return enabled === false ? 'off' : 'open';
  return enabled === true ? 'scoped' : 'off';
}

export function loadConfig(env: Env): GatewayConfig {
  const logLevel = read(env, 'LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  const production = env['NODE_ENV'] === 'production';
  const hmac = hmacSettings(env);
  const primer = primerSettings(env);
  const auth = loadAuthConfig(env);
  if (!hasCredentials(auth) && (hmac.mode === 'remote' || primer.mode === 'remote')) {
    throw new ConfigError('GATEWAY_API_KEYS', 'or GATEWAY_JWKS_FILE / GATEWAY_JWKS_URL must be set when a real provider is configured');
  }
  return {
    port: integer(env, 'PORT', 4000, 0, 65535),
    host: read(env, 'HOST') ?? 'localhost',
    hmac,
    primer,
    providerTimeoutMs: integer(env, 'PROVIDER_TIMEOUT_MS', 8000, 100, 120_000),
    redisUrl: redisUrl(env),
    idempotencyTtlSeconds: integer(env, 'IDEMPOTENCY_TTL_SECONDS', 86_400, 60, 30 * 86_400),
    auth,
    production,
    introspection: introspection(env, production),
    limits: {
      maxCancelsPerOperation: integer(env, 'MAX_CANCELS_PER_OPERATION', DEFAULT_LIMITS.maxCancelsPerOperation, 1, 10),
      maxPaymentIds: integer(env, 'MAX_PAYMENT_IDS', DEFAULT_LIMITS.maxPaymentIds, 1, 1000),
      maxDepth: integer(env, 'MAX_QUERY_DEPTH', DEFAULT_LIMITS.maxDepth, 2, 50),
      maxAliases: integer(env, 'MAX_ALIASES', DEFAULT_LIMITS.maxAliases, 1, 1000),
      maxCost: integer(env, 'MAX_QUERY_COST', DEFAULT_LIMITS.maxCost, 10, 1_000_000),
      maxTokens: integer(env, 'MAX_QUERY_TOKENS', DEFAULT_LIMITS.maxTokens, 50, 100_000),
      maxBodyBytes: integer(env, 'MAX_BODY_BYTES', DEFAULT_LIMITS.maxBodyBytes, 1024, 10 * 1024 * 1024),
    },
    trustedDocuments: trustedDocuments(env),
    graphiql: flag(env, 'GATEWAY_GRAPHIQL') ?? true,
    workers: workers(env),
    breaker: {
      failures: integer(env, 'PROVIDER_BREAKER_FAILURES', 5, 1, 10_000),
      openSeconds: integer(env, 'PROVIDER_BREAKER_OPEN_SECONDS', 5, 1, 3_600),
    },
    cancelRateLimit: {
      burst: integer(env, 'CANCEL_RATE_LIMIT_BURST', 10, 1, 10_000),
      perMinute: integer(env, 'CANCEL_RATE_LIMIT_PER_MINUTE', 60, 1, 100_000),
    },
    logLevel,
  };
}
