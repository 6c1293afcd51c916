/**
 * The load generator, its own process (pinned by the harness to the core that is not the
 * subject's). It waits for jobs over the IPC channel and answers each with its result.
 *
 * One job: an undici Pool with N connections and N closed-loop workers (each sends a request,
 * reads the whole answer, checks it, sends the next). The first `warmupMs` are not counted;
 * then for `durationMs` every completed request is counted and its latency, from just before
 * the request is handed to undici to the last byte of the answer, is recorded in nanoseconds
 * in a `perf_hooks` histogram (so p50/p99 resolve microseconds, unlike autocannon's
 * millisecond histogram). At both ends of the counted window the subject's CPU time is read
 * from /proc, so CPU per request covers exactly the requests counted.
 */
import { randomBytes } from 'node:crypto';
import { createHistogram } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { Pool } from 'undici';
import { cpuTicksOf } from './procfs.js';
import { checkAnswer, requestFactory, type ArmKind, type BenchProvider, type Credentials, type LoadOperation } from './scenarios.js';

export interface LoadJob {
  readonly origin: string;
  readonly kind: ArmKind;
  readonly provider: BenchProvider;
  readonly op: LoadOperation;
  readonly connections: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  /** The processes whose CPU time is charged to the requests. */
  readonly subjectPids: readonly number[];
  /** Other processes on the load generator's side (the sandbox when it is not the subject). */
  readonly loadSidePids: readonly number[];
  readonly credentials: Credentials;
  /** Clock ticks per second, to turn the load-side pids' ticks into µs. */
  readonly hz: number;
}

export interface LatencyUs {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly mean: number;
}

export interface LoadResult {
  /** Right answers completed in the counted window. */
  readonly requests: number;
  /** Wrong answers and transport failures, warm-up included. */
  readonly errors: number;
  /** A few distinct error descriptions. */
  readonly errorSamples: readonly string[];
  readonly durationS: number;
  readonly throughput: number;
  readonly latencyUs: LatencyUs;
  /** The subject's utime + stime over the counted window, in clock ticks. */
  readonly cpuTicks: number;
  /** CPU time of the load side over the window, µs: this process plus `loadSidePids` (ticks → µs at `hz`). */
  readonly loadSideCpuUs: number;
}

export type LoadMessage = { readonly type: 'run'; readonly job: LoadJob };
export type LoadReply = { readonly type: 'result'; readonly result: LoadResult } | { readonly type: 'failed'; readonly message: string };

/** Cancel ids and idempotency keys are unique to this load process. */
const nonce = randomBytes(4).toString('hex');
/** Never reset: every job continues the sequence, so cancel ids are never reused. */
let sequence = 0;

export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const build = requestFactory(job.kind, job.provider, job.op, job.credentials, nonce);
  const pool = new Pool(job.origin, { connections: job.connections, pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: 15_000, bodyTimeout: 15_000 });
  const histogram = createHistogram({ lowest: 1, highest: 60e9, figures: 3 });
  let counting = false;
  let stopped = false;
  let requests = 0;
  let errors = 0;
  const errorSamples = new Set<string>();

  const fail = (why: string) => {
    errors += 1;
    if (errorSamples.size < 5) errorSamples.add(why);
  };

  async function worker(): Promise<void> {
    while (!stopped) {
      const request = build(sequence++);
      const started = process.hrtime.bigint();
      let why: string | undefined;
      try {
        const response = await pool.request({ method: request.method, path: request.path, headers: request.headers, body: request.body });
        why = checkAnswer(request, response.statusCode, await response.body.text());
      } catch (error) {
        why = `transport: ${(error as { code?: string }).code ?? (error instanceof Error ? error.message : String(error))}`;
      }
      const elapsed = process.hrtime.bigint() - started;
      if (why !== undefined) fail(why);
      else if (counting) {
        requests += 1;
        histogram.record(elapsed > 0n ? elapsed : 1n);
      }
    }
  }

  const workers = Array.from({ length: job.connections }, () => worker());
  await delay(job.warmupMs);
  const ticksBefore = cpuTicksOf(job.subjectPids);
  const sideTicksBefore = cpuTicksOf(job.loadSidePids);
  const selfBefore = process.cpuUsage();
  const windowStart = process.hrtime.bigint();
  counting = true;
  await delay(job.durationMs);
  counting = false;
  const windowEnd = process.hrtime.bigint();
  const ticksAfter = cpuTicksOf(job.subjectPids);
  const sideTicks = cpuTicksOf(job.loadSidePids) - sideTicksBefore;
  const self = process.cpuUsage(selfBefore);
  stopped = true;
  await Promise.all(workers);
  await pool.close();

  const durationS = Number(windowEnd - windowStart) / 1e9;
  const us = (ns: number) => (histogram.count === 0 ? 0 : Math.round(ns / 100) / 10);
  return {
    requests,
    errors,
    errorSamples: [...errorSamples],
    durationS,
    throughput: requests / durationS,
    latencyUs: {
      p50: us(histogram.percentile(50)),
      p90: us(histogram.percentile(90)),
      p99: us(histogram.percentile(99)),
      p999: us(histogram.percentile(99.9)),
      max: us(histogram.max),
      mean: us(histogram.mean),
    },
    cpuTicks: ticksAfter - ticksBefore,
    loadSideCpuUs: self.user + self.system + (sideTicks / job.hz) * 1e6,
  };
}

// As a child process: run jobs one at a time, as the harness sends them.
if (process.send !== undefined) {
  process.on('message', (message: LoadMessage) => {
    if (message.type !== 'run') return;
    runLoad(message.job).then(
      (result) => process.send!({ type: 'result', result } satisfies LoadReply),
      (error: unknown) => process.send!({ type: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies LoadReply),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
