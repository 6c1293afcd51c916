/**
 * The token bucket in Redis, so several gateway processes share one budget per caller.
 *
 * One hash per caller, prefix + sha256(caller) hex, holding `{ tokens, ts }`. A Lua script
 * refills and takes atomically, with the time passed in from `now()` (a replica whose clock
 * is behind the stored `ts` refills nothing rather than rewinding it), and sets a PEXPIRE of
 * the time the bucket needs to refill fully, so idle callers' keys vanish.
 *
 * It fails fast and open: no offline queue, short connect and command timeouts, and when Redis
 * cannot answer, that call is decided by an in-process limiter with the same options (and the
 * error goes to `onRedisError`). Reconnection goes on in the background.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createRedisConnection } from '../redis/connection.js';
import { decision, fullRefillMs, validateOptions, type RateLimitDecision, type RateLimitOptions, type RateLimiter } from './bucket.js';
import { createMemoryRateLimiter } from './memory.js';

export const DEFAULT_KEY_PREFIX = 'pgw:rate:';

export interface RedisRateLimitOptions extends RateLimitOptions {
  /** redis:// or rediss://; it may carry a password, which never appears in an error. */
  readonly url: string;
  /** Prepended to every key. Default 'pgw:rate:'. */
  readonly keyPrefix?: string | undefined;
  /** The clock, in milliseconds, passed to Redis with every take. Default Date.now. */
  readonly now?: (() => number) | undefined;
  /** Told about every take that Redis could not decide (the in-process limiter did). */
  readonly onRedisError?: ((error: unknown) => void) | undefined;
}

const COMMAND_TIMEOUT_MS = 500;
/** No key outlives this, however slowly its bucket refills. */
const MAX_TTL_MS = 30 * 24 * 3_600_000;

/**
 * KEYS[1] the bucket; ARGV[1] capacity; ARGV[2] refillPerSecond; ARGV[3] now (ms); ARGV[4]
 * the longest TTL (ms). Returns { 1 if a token was taken else 0, the tokens left as text }.
 */
const TAKE_SCRIPT = `
local capacity = tonumber(ARGV[1])
local perMs = tonumber(ARGV[2]) / 1000
local now = tonumber(ARGV[3])
local stored = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(stored[1])
local ts = tonumber(stored[2])
if tokens == nil or ts == nil then
  tokens = capacity
  ts = now
elseif now > ts then
  tokens = tokens + (now - ts) * perMs
  ts = now
end
tokens = math.max(0, math.min(capacity, tokens))
local allowed = 0
if tokens >= 1 - 1e-9 then
  tokens = math.max(0, tokens - 1)
  allowed = 1
end
local ttl = math.min(math.max(1, math.ceil((capacity - tokens) / perMs)), tonumber(ARGV[4]))
local left = string.format('%.17g', tokens)
redis.call('HSET', KEYS[1], 'tokens', left, 'ts', string.format('%.17g', ts))
redis.call('PEXPIRE', KEYS[1], string.format('%d', ttl))
return { allowed, left }
`;

interface RateLimitCommands {
  rateLimitTake(key: string, capacity: number, refillPerSecond: number, now: number, maxTtlMs: number): Promise<unknown>;
}

export function createRedisRateLimiter(options: RedisRateLimitOptions): RateLimiter {
  validateOptions(options);
  if (typeof options.url !== 'string') throw new Error('The Redis URL of the rate limiter is required.');
  const prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
  if (typeof prefix !== 'string') throw new Error('Rate limit keyPrefix must be a string.');
  const { capacity, refillPerSecond, onRedisError } = options;
  const now = options.now ?? Date.now;
  const maxTtlMs = Math.min(fullRefillMs(options), MAX_TTL_MS);
  const fallback = createMemoryRateLimiter({ capacity, refillPerSecond, now });

  const connection = createRedisConnection(options.url, { purpose: 'rate limiter', commandTimeoutMs: COMMAND_TIMEOUT_MS });
  const { client, ready } = connection;
  client.defineCommand('rateLimitTake', { numberOfKeys: 1, lua: TAKE_SCRIPT });
  const commands = client as unknown as Redis & RateLimitCommands;
  let closed = false;



  async function takeInRedis(key: string): Promise<RateLimitDecision> {
    await ready();
    const redisKey = prefix + createHash('sha256').update(key).digest('hex');
    const reply = await commands.rateLimitTake(redisKey, capacity, refillPerSecond, now(), maxTtlMs);
    if (!Array.isArray(reply) || (reply[0] !== 0 && reply[0] !== 1) || typeof reply[1] !== 'string') {
      throw new Error('The rate limit script returned an unexpected reply.');
    }
    const tokens = Number(reply[1]);
    if (!Number.isFinite(tokens)) throw new Error('The rate limit script returned an unreadable token count.');
    return decision(reply[0] === 1, tokens, refillPerSecond);
  }

  return {
    async take(key: string): Promise<RateLimitDecision> {
      if (closed) return fallback.take(key);
      try {
        return await takeInRedis(key);
      } catch (error) {
        try {
          onRedisError?.(error);
        } catch {
          // A failing logger must not fail a cancel.
        }
        return fallback.take(key);
      }
    },
    async close(): Promise<void> {
      closed = true;
      await connection.close();
      await fallback.close();
    },
  };
}
