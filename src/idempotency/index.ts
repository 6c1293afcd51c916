export * from './ledger.js';
export { createMemoryLedger, type MemoryLedgerOptions } from './memory-ledger.js';
export { createRedisLedger, type RedisLedgerOptions } from './redis-ledger.js';
