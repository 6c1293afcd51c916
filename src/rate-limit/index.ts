export type { RateLimitDecision, RateLimitOptions, RateLimiter } from './bucket.js';
export { createMemoryRateLimiter, DEFAULT_MAX_KEYS, type MemoryRateLimitOptions } from './memory.js';
export { createRedisRateLimiter, DEFAULT_KEY_PREFIX, type RedisRateLimitOptions } from './redis.js';
