/**
 * The idempotency ledger in Redis, shared by several gateway processes.
 *
 * One key per (scope, idempotency key): prefix + scope + ':' + sha256(key), holding JSON
 * `{ v: 1, fp, state: 'pending' | 'done', owner?, outcome? }`. A claim is `SET NX PX claimTtlMs`
 * with a random owner token, so exactly one replica wins and an abandoned claim expires by
 * itself; `complete` and `release` are Lua scripts that act only while the stored owner is
 * still theirs. A request that finds its key pending polls with a short capped backoff.
 *
 * It fails fast and closed: no offline queue, short connect and command timeouts, and every
 * Redis failure becomes a LedgerUnavailableError. Reconnection goes on in the background.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { wait } from '../cancellation.js';
import { createRedisConnection } from '../redis/connection.js';
import {
  DEFAULT_LEDGER_TTL_MS,
  LedgerUnavailableError,
  type ClaimOptions,
  type ClaimResult,
  type IdempotencyLedger,
  type LedgerClaim,
  type LedgerOptions,
  type RecordedOutcome,
} from './ledger.js';
import { DEFAULT_CLAIM_TTL_MS, DEFAULT_MAX_WAIT_MS } from './memory-ledger.js';

export interface RedisLedgerOptions extends LedgerOptions {
  /** redis:// or rediss://; it may carry a password, which never appears in an error. */
  readonly url: string;
  /** Prepended to every key. Default 'pgw:idem:'. */
  readonly keyPrefix?: string | undefined;
}

const COMMAND_TIMEOUT_MS = 1_000;
const FIRST_POLL_MS = 10;
const MAX_POLL_MS = 100;

interface StoredRecord {
  readonly v: 1;
  readonly fp: string;
  readonly state: 'pending' | 'done';
  readonly owner?: string;
  readonly outcome?: RecordedOutcome;
}

/** KEYS[1] the ledger key; ARGV[1] the owner token; ARGV[2] the done record; ARGV[3] ttlMs. */
const COMPLETE_SCRIPT = `
local stored = redis.call('GET', KEYS[1])
if not stored then return 0 end
local ok, record = pcall(cjson.decode, stored)
if not ok or type(record) ~= 'table' or record.state ~= 'pending' or record.owner ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`;

/** KEYS[1] the ledger key; ARGV[1] the owner token. */
const RELEASE_SCRIPT = `
local stored = redis.call('GET', KEYS[1])
if not stored then return 0 end
local ok, record = pcall(cjson.decode, stored)
if not ok or type(record) ~= 'table' or record.state ~= 'pending' or record.owner ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`;

interface LedgerCommands {
  ledgerComplete(key: string, owner: string, record: string, ttlMs: number): Promise<number>;
  ledgerRelease(key: string, owner: string): Promise<number>;
}

export function createRedisLedger(options: RedisLedgerOptions): IdempotencyLedger {
  const prefix = options.keyPrefix ?? 'pgw:idem:';
  const ttlMs = options.ttlMs ?? DEFAULT_LEDGER_TTL_MS;
  const claimTtlMs = options.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS;
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;

  const connection = createRedisConnection(options.url, { purpose: 'idempotency ledger', commandTimeoutMs: COMMAND_TIMEOUT_MS });
  const { client, ready } = connection;
  client.defineCommand('ledgerComplete', { numberOfKeys: 1, lua: COMPLETE_SCRIPT });
  client.defineCommand('ledgerRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
  const commands = client as unknown as Redis & LedgerCommands;



  async function redis<T>(command: () => Promise<T>): Promise<T> {
    try {
      await ready();
      return await command();
    } catch (error) {
      throw new LedgerUnavailableError({ cause: error });
    }
  }

  function claimed(redisKey: string, owner: string, fingerprint: string): ClaimResult {
    const claim: LedgerClaim = {
      async complete(outcome: RecordedOutcome): Promise<void> {
        const record: StoredRecord = { v: 1, fp: fingerprint, state: 'done', outcome };
        // 0 means the claim expired and may belong to someone else now: nothing is recorded.
        await redis(() => commands.ledgerComplete(redisKey, owner, JSON.stringify(record), ttlMs));
      },
      async release(): Promise<void> {
        await redis(() => commands.ledgerRelease(redisKey, owner));
      },
    };
    return { state: 'claimed', claim };
  }

  return {
    async claim({ scope, key, fingerprint, signal }: ClaimOptions): Promise<ClaimResult> {
      const redisKey = `${prefix}${scope}:${createHash('sha256').update(key).digest('hex')}`;
      const deadline = performance.now() + maxWaitMs;
      let pollMs = FIRST_POLL_MS;
      for (;;) {
        const owner = randomUUID();
        const pending: StoredRecord = { v: 1, fp: fingerprint, state: 'pending', owner };
        const set = await redis(() => client.set(redisKey, JSON.stringify(pending), 'PX', claimTtlMs, 'NX'));
        if (set === 'OK') return claimed(redisKey, owner, fingerprint);

        const stored = await redis(() => client.get(redisKey));
        if (stored === null) continue; // released or expired in between: try to claim it again
        const record = parse(stored);
        if (record.fp !== fingerprint) return { state: 'conflict' };
        if (record.state === 'done') return { state: 'replay', outcome: record.outcome ?? {} };

        const remaining = deadline - performance.now();
        if (remaining <= 0) return { state: 'in_progress' };
        await wait(Math.min(pollMs, remaining), signal);
        pollMs = Math.min(pollMs * 2, MAX_POLL_MS);
      }
    },
    async healthy(): Promise<boolean> {
      try {
        await ready();
        return (await client.ping()) === 'PONG';
      } catch {
        return false;
      }
    },
    close: () => connection.close(),
  };
}

/** A stored record; anything unreadable fails closed, as an unavailable ledger does. */
function parse(stored: string): StoredRecord {
  let record: unknown;
  try {
    record = JSON.parse(stored);
  } catch (error) {
    throw new LedgerUnavailableError({ cause: error });
  }
  const r = record as Partial<StoredRecord> | null;
  if (
    r === null ||
    typeof r !== 'object' ||
    r.v !== 1 ||
    typeof r.fp !== 'string' ||
    (r.state !== 'pending' && r.state !== 'done') ||
    (r.state === 'done' && (typeof r.outcome !== 'object' || r.outcome === null))
  ) {
    throw new LedgerUnavailableError({ cause: new Error('The idempotency ledger holds an unreadable record.') });
  }
  return r as StoredRecord;
}

