/**
 * `npm run bench -- [flags]`: the flags and their defaults.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BenchProvider } from './scenarios.js';

export interface BenchOptions {
  readonly rounds: number;
  /** Counted seconds per measurement. */
  readonly durationS: number;
  /** Seconds of load per arm and scenario before the first round, not counted. */
  readonly warmupS: number;
  /** Seconds of load at the start of every measurement, not counted (connections, steady state). */
  readonly settleS: number;
  readonly connections: readonly number[];
  readonly provider: BenchProvider;
  /** Above 1: one more arm, G with WEB_CONCURRENCY=workers. */
  readonly workers: number;
  /**
   * Another checkout of the gateway, built (its `dist/src/main.js`): one more arm, B, run as
   * G is, so that two builds are compared in the same rounds against the same sandbox.
   */
  readonly baseline: string | undefined;
  /** The Redis that G×N's workers share (they need one). */
  readonly redisUrl: string;
  readonly logLevel: string;
  /** Node flags for the gateway after npm start's own (a later flag wins), e.g. heap limits. */
  readonly gatewayNodeFlags: readonly string[];
  readonly outDir: string;
  readonly pin: boolean;
  /** Seconds of soak instead of the benchmark; 0 = no soak. */
  readonly soakS: number;
  readonly soakIntervalS: number;
  /** Seconds of warm-up per arm and operation under callgrind, instead of the benchmark; 0 = not. */
  readonly callgrindS: number;
  /** With callgrind: name the functions the instructions go to, and list those G spends more on than P. */
  readonly callgrindFunctions: boolean;
  readonly quick: boolean;
}

export const USAGE = `npm run bench -- [flags]
  --rounds N          interleaved rounds per scenario, U,P,G then G,P,U (default 6)
  --duration S        counted seconds per measurement (default 3)
  --warmup S          seconds of load per arm and scenario before round 1 (default 5: after
                      2, both P and G were still compiling)
  --settle S          uncounted seconds at the start of each measurement (default 0.5)
  --connections A,B   connection counts (default 1,64)
  --provider P        primer (default) or hmac
  --workers N         also measure G with WEB_CONCURRENCY=N (arm G×N), against G with 1
  --baseline DIR      also measure the gateway built in DIR (arm B; DIR/dist/src/main.js, with
                      its own node_modules), as G is run: G/B compares two builds in the same
                      rounds, e.g. a git worktree of an earlier commit after npm ci and build
  --redis URL         the Redis G×N's workers share (default redis://127.0.0.1:6379)
  --log-level L       the gateway's LOG_LEVEL (default warn: request lines off the hot path;
                      audit records are written at any level)
  --node-flags=S      more Node flags for the gateway, after npm start's own (which they
                      override), e.g. --node-flags="--max-old-space-size=4096" for V8's default;
                      may be given more than once
  --out DIR           where latest.json, latency.svg, the gateway's log go (default bench/results)
  --no-pin            do not pin processes to CPUs
  --soak S            instead: G alone under mixed load at the highest connection count for S
                      seconds, RSS sampled every --soak-interval seconds (default 5)
  --callgrind S       instead: instructions per request of P and G under valgrind's callgrind,
                      one connection, after S seconds of warm-up per arm and operation (30 or
                      more: G compiles for longer); e.g. --callgrind 30 --rounds 2 (1000
                      requests a round; bench/callgrind.ts; ~15 min)
  --functions         with --callgrind: also where the instructions go, by function (P and G
                      run with --perf-basic-prof to name V8's code), and the functions G spends
                      more on than P; dumps and maps are kept in --out
  --quick             smoke run: 1 round, 0.5 s, connections 1,4, short warm-up`;

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function positive(name: string, raw: string | undefined, fallback: number, integer = false): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) throw new Error(`--${name} must be a positive ${integer ? 'integer' : 'number'}`);
  return value;
}

export function parseOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      rounds: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      settle: { type: 'string' },
      connections: { type: 'string' },
      provider: { type: 'string' },
      workers: { type: 'string' },
      baseline: { type: 'string' },
      redis: { type: 'string' },
      'log-level': { type: 'string' },
      'node-flags': { type: 'string', multiple: true },
      out: { type: 'string' },
      'no-pin': { type: 'boolean' },
      soak: { type: 'string' },
      'soak-interval': { type: 'string' },
      callgrind: { type: 'string' },
      functions: { type: 'boolean' },
      quick: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (values.functions === true && values.callgrind === undefined) throw new Error('--functions goes with --callgrind');
  const quick = values.quick === true;
  if (values.baseline !== undefined && (values.soak !== undefined || values.callgrind !== undefined)) throw new Error('--baseline goes with the benchmark, not with --soak or --callgrind');
  const baseline = values.baseline === undefined ? undefined : resolve(values.baseline);
  if (baseline !== undefined && !existsSync(join(baseline, 'dist/src/main.js'))) throw new Error(`--baseline: ${join(baseline, 'dist/src/main.js')} not found (npm ci and npm run build there first)`);
  const provider = values.provider ?? 'primer';
  if (provider !== 'primer' && provider !== 'hmac') throw new Error('--provider must be primer or hmac');
  const connections = (values.connections ?? (quick ? '1,4' : '1,64')).split(',').map((part) => positive('connections', part, 1, true));
  return {
    rounds: positive('rounds', values.rounds, quick ? 1 : 6, true),
    durationS: positive('duration', values.duration, quick ? 0.5 : 3),
    warmupS: positive('warmup', values.warmup, quick ? 0.3 : 5),
    settleS: positive('settle', values.settle, quick ? 0.2 : 0.5),
    connections: [...new Set(connections)].sort((a, b) => a - b),
    provider,
    workers: positive('workers', values.workers, 1, true),
    baseline,
    redisUrl: values.redis ?? 'redis://127.0.0.1:6379',
    logLevel: values['log-level'] ?? 'warn',
    gatewayNodeFlags: (values['node-flags'] ?? []).flatMap((given) => given.split(/\s+/)).filter((flag) => flag !== ''),
    outDir: values.out === undefined ? resolve(ROOT, 'bench/results') : resolve(values.out),
    pin: values['no-pin'] !== true,
    soakS: values.soak === undefined ? 0 : positive('soak', values.soak, 300),
    soakIntervalS: positive('soak-interval', values['soak-interval'], 5),
    callgrindS: values.callgrind === undefined ? 0 : positive('callgrind', values.callgrind, 90),
    callgrindFunctions: values.functions === true,
    quick,
  };
}
