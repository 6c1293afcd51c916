import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { DEFAULT_LIMITS } from '../src/server.js';
import { TEST_API_KEYS } from './support/credentials.js';

const KEYS = { GATEWAY_API_KEYS: JSON.stringify(TEST_API_KEYS) };

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('with nothing set runs both providers on the sandboxes on localhost:4000', () => {
    expect(loadConfig({})).toEqual({
      port: 4000,
      host: 'localhost',
      hmac: { mode: 'sandbox' },
      primer: { mode: 'sandbox' },
      providerTimeoutMs: 8000,
      redisUrl: null,
      idempotencyTtlSeconds: 86_400,
      auth: { apiKeys: [], jwt: null },
      production: false,
      introspection: 'open',
      limits: DEFAULT_LIMITS,
      cancelRateLimit: { burst: 10, perMinute: 60 },
      trustedDocuments: null,
      graphiql: true,
      workers: 1,
      breaker: { failures: 5, openSeconds: 5 },
      logLevel: 'info',
    });
  });

  it.each([
    [{}, 'open'],
    [{ GATEWAY_INTROSPECTION: 'false' }, 'off'],
    [{ NODE_ENV: 'production' }, 'off'],
    [{ NODE_ENV: 'production', GATEWAY_INTROSPECTION: 'true' }, 'scoped'],
  ])('introspection with %j is %s', (env, mode) => {
    expect(loadConfig(env).introspection).toBe(mode);
  });

  it('reads the limits', () => {
    expect(loadConfig({ MAX_PAYMENT_IDS: '20', MAX_CANCELS_PER_OPERATION: '2', CANCEL_RATE_LIMIT_BURST: '3' })).toMatchObject({
      limits: { maxPaymentIds: 20, maxCancelsPerOperation: 2 },
      cancelRateLimit: { burst: 3, perMinute: 60 },
    });
  });

  it('takes a real HMAC provider when all three variables are set, keeping secrets unprintable', () => {
    const config = loadConfig({ HMAC_API_BASE_URL: 'https://api.example.com', HMAC_API_KEY: 'key_live_1', HMAC_API_SECRET: 'shh_secret_1', ...KEYS });
    expect(config.hmac.mode).toBe('remote');
    if (config.hmac.mode !== 'remote') return;
    expect(config.hmac.baseUrl.href).toBe('https://api.example.com/');
    expect(config.hmac.apiSecret.reveal()).toBe('shh_secret_1');
    const printed = `${JSON.stringify(config)} ${String(config.hmac.apiKey)} ${JSON.stringify(config.hmac)}`;
    expect(printed).not.toContain('key_live_1');
    expect(printed).not.toContain('shh_secret_1');
  });

  it('defaults the Primer base URL to its sandbox when only a key is given', () => {
    const config = loadConfig({ PRIMER_API_KEY: 'pk_1', ...KEYS });
    expect(config.primer.mode === 'remote' && config.primer.baseUrl.href).toBe('https://api.sandbox.primer.io/');
  });

  it.each([
    [{ HMAC_API_BASE_URL: 'https://api.example.com' }, 'HMAC_API_KEY'],
    [{ HMAC_API_KEY: 'k', HMAC_API_BASE_URL: 'https://api.example.com' }, 'HMAC_API_SECRET'],
    [{ HMAC_API_KEY: 'k', HMAC_API_SECRET: 's' }, 'HMAC_API_BASE_URL'],
    [{ HMAC_API_BASE_URL: 'not a url', HMAC_API_KEY: 'k', HMAC_API_SECRET: 's' }, 'HMAC_API_BASE_URL'],
    [{ HMAC_API_BASE_URL: 'ftp://api.example.com', HMAC_API_KEY: 'k', HMAC_API_SECRET: 's' }, 'HMAC_API_BASE_URL'],
    [{ HMAC_API_BASE_URL: 'https://u:p@api.example.com', HMAC_API_KEY: 'k', HMAC_API_SECRET: 's' }, 'HMAC_API_BASE_URL'],
    [{ PRIMER_API_BASE_URL: 'https://api.primer.io' }, 'PRIMER_API_KEY'],
    [{ PRIMER_API_KEY: 'k', PRIMER_API_BASE_URL: 'https://api.primer.io?x=1' }, 'PRIMER_API_BASE_URL'],
    [{ PRIMER_API_KEY: 'k' }, 'GATEWAY_API_KEYS'],
    [{ HMAC_API_BASE_URL: 'https://api.example.com', HMAC_API_KEY: 'k', HMAC_API_SECRET: 's' }, 'GATEWAY_API_KEYS'],
    [{ GATEWAY_INTROSPECTION: 'yes' }, 'GATEWAY_INTROSPECTION'],
    [{ GATEWAY_GRAPHIQL: 'off' }, 'GATEWAY_GRAPHIQL'],
    [{ WEB_CONCURRENCY: '2' }, 'WEB_CONCURRENCY'],
    [{ WEB_CONCURRENCY: '0', REDIS_URL: 'redis://127.0.0.1:6379' }, 'WEB_CONCURRENCY'],
    [{ PROVIDER_BREAKER_FAILURES: '0' }, 'PROVIDER_BREAKER_FAILURES'],
    [{ PROVIDER_BREAKER_OPEN_SECONDS: '2.5' }, 'PROVIDER_BREAKER_OPEN_SECONDS'],
    [{ MAX_PAYMENT_IDS: '0' }, 'MAX_PAYMENT_IDS'],
    [{ TRUSTED_DOCUMENTS: '/nonexistent/persisted-documents.json' }, 'TRUSTED_DOCUMENTS'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '-1' }, 'PORT'],
    [{ PROVIDER_TIMEOUT_MS: '0' }, 'PROVIDER_TIMEOUT_MS'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
    [{ REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL'],
    [{ IDEMPOTENCY_TTL_SECONDS: '5' }, 'IDEMPOTENCY_TTL_SECONDS'],
  ])('%j is refused, naming %s', (env, variable) => {
    const error = configError(env);
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(variable)).toBe(true);
    expect(error.message).not.toContain('\n');
  });

  it('never puts a secret value into the message', () => {
    const error = configError({ HMAC_API_KEY: 'key_live_9', HMAC_API_SECRET: 'shh_9', HMAC_API_BASE_URL: 'nope' });
    expect(error.message).not.toContain('key_live_9');
    expect(error.message).not.toContain('shh_9');
  });

  it('keeps a Redis URL, which may carry a password, unprintable', () => {
    const config = loadConfig({ REDIS_URL: 'redis://:hunter2@127.0.0.1:6379/0', IDEMPOTENCY_TTL_SECONDS: '3600' });
    expect(config.redisUrl?.reveal()).toBe('redis://:hunter2@127.0.0.1:6379/0');
    expect(config.idempotencyTtlSeconds).toBe(3600);
    expect(JSON.stringify(config)).not.toContain('hunter2');
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', HMAC_API_KEY: '', PRIMER_API_BASE_URL: ' ' }).port).toBe(4000);
  });
});
