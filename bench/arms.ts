/**
 * Starts what a benchmark run needs, each as its own process: the bench sandbox, the load
 * generator, and the subjects P and G (and G×N with `--workers N`). U is the sandbox itself.
 *
 * The gateway runs as `npm start` runs it (the environment variables and Node flags of
 * package.json's start script, then any `--node-flags` given to the bench, which win over
 * them), configured only through its environment, which is built here from nothing (the
 * harness's own environment is not passed on, so a stray REDIS_URL cannot change what is
 * measured):
 * the provider under test points at the bench sandbox; the other provider points at the same
 * URL with unused credentials and is never called (so no embedded sandbox runs inside the
 * gateway's process); NODE_ENV=production; eight bench API keys, used in turn, because the
 * cancel rate limit is per caller and its highest settings (10 000 burst, 100 000 a minute)
 * could refuse a long run of one caller.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256Hex } from '../src/auth/api-keys.js';
import type { LoadJob, LoadMessage, LoadReply, LoadResult } from './load.js';
import type { BenchOptions } from './options.js';
import { processTree } from './procfs.js';
import { firstLine, freePort, repin, startNode, waitUntilServing, type Child, type Pinning } from './processes.js';
import type { ArmKind, Credentials } from './scenarios.js';

const DIST_BENCH = fileURLToPath(new URL('.', import.meta.url));
const GATEWAY_MAIN = fileURLToPath(new URL('../src/main.js', import.meta.url));
/** From the build (dist/bench/arms.js) two levels up; from the sources (as the tests run them) one. */
const PACKAGE_JSON = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../package.json' : '../../package.json', import.meta.url));
const BENCH_CALLERS = 8;

export interface StartScript {
  /** Variables the script sets for the process (`NAME=value` before `node`). */
  readonly env: Readonly<Record<string, string>>;
  readonly nodeFlags: readonly string[];
}

/** How `npm start` runs the gateway: its script is `[NAME=value…] node <flags> dist/src/main.js`. */
export function startScript(packageJson: string = PACKAGE_JSON): StartScript {
  const start = (JSON.parse(readFileSync(packageJson, 'utf8')) as { scripts?: { start?: unknown } }).scripts?.start;
  const match = typeof start === 'string' ? /^((?:[A-Za-z_]\w*=[^\s'"$`\\;&|<>()]*\s+)*)node((?:\s+--\S+)*)\s+dist\/src\/main\.js$/.exec(start) : null;
  if (!match) throw new Error(`${packageJson}: scripts.start is not "[NAME=value…] node <flags> dist/src/main.js"`);
  const words = (text: string) => text.trim().split(/\s+/).filter((word) => word !== '');
  const env = Object.fromEntries(words(match[1]!).map((assignment) => {
    const at = assignment.indexOf('=');
    return [assignment.slice(0, at), assignment.slice(at + 1)];
  }));
  return { env, nodeFlags: words(match[2]!) };
}

export interface Arm {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  readonly kind: ArmKind;
  readonly origin: string;
  /** The processes whose CPU and memory are the arm's (read again before each measurement). */
  pids(): number[];
  /** Processes sharing the load generator's CPU while this arm is measured (the sandbox, except for U). */
  readonly loadSidePids: readonly number[];
  /** Called before and after each of its measurements (U moves the sandbox onto the subject CPU). */
  enter(): void;
  leave(): void;
}

export interface BenchProcesses {
  readonly arms: readonly Arm[];
  readonly credentials: Credentials;
  /** The gateway's configuration as set by the harness, secrets left out. */
  readonly gatewayConfig: Record<string, string>;
  runLoad(job: Omit<LoadJob, 'credentials'>): Promise<LoadResult>;
  stop(): Promise<void>;
}

interface SandboxAnnouncement {
  readonly url: string;
  readonly apiKey: string;
  readonly apiSecret: string;
}

export interface BenchMode {
  /** Only the gateway (with `--workers N`, G×N alone). */
  readonly soak: boolean;
  /** A command to run P's and G's node under (callgrind.ts), given the arm's id. */
  readonly wrapper?: (arm: 'P' | 'G') => readonly string[];
  /** Node flags for P and G besides their own (callgrind.ts: --perf-basic-prof). */
  readonly nodeFlags?: (arm: 'P' | 'G') => readonly string[];
}

export async function startBenchProcesses(options: BenchOptions, pinning: Pinning, mode: BenchMode): Promise<BenchProcesses> {
  const started: Child[] = [];
  const stop = async () => {
    for (const child of started.reverse()) await child.stop();
  };
  try {
    const sandboxChild = startNode({ name: 'sandbox', args: [join(DIST_BENCH, 'sandbox.js'), options.provider], pinning, cpus: pinning.otherCpus });
    started.push(sandboxChild);
    const sandbox = await firstLine<SandboxAnnouncement>(sandboxChild);

    const bearers = Array.from({ length: BENCH_CALLERS }, () => `bench_${randomBytes(24).toString('base64url')}`);
    const credentials: Credentials = {
      primerApiKey: options.provider === 'primer' ? sandbox.apiKey : 'unused',
      hmacApiKey: options.provider === 'hmac' ? sandbox.apiKey : 'unused',
      hmacApiSecret: options.provider === 'hmac' ? sandbox.apiSecret : 'unused',
      bearers,
    };
    const start = startScript();
    const shown: Record<string, string> = {
      ...start.env,
      NODE_ENV: 'production',
      LOG_LEVEL: options.logLevel,
      HOST: '127.0.0.1',
      PRIMER_API_BASE_URL: sandbox.url,
      HMAC_API_BASE_URL: sandbox.url,
      CANCEL_RATE_LIMIT_BURST: '10000',
      CANCEL_RATE_LIMIT_PER_MINUTE: '100000',
    };
    const nodeFlags = [...start.nodeFlags, ...options.gatewayNodeFlags];
    const gatewayEnv = (port: number, workers: number | undefined): NodeJS.ProcessEnv => ({
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      ...shown,
      PORT: String(port),
      PRIMER_API_KEY: credentials.primerApiKey,
      HMAC_API_KEY: credentials.hmacApiKey,
      HMAC_API_SECRET: credentials.hmacApiSecret,
      GATEWAY_API_KEYS: JSON.stringify(bearers.map((key, i) => ({ name: `bench-${i}`, keySha256: sha256Hex(key), scopes: ['payments:read', 'payments:cancel'] }))),
      // Several workers share idempotency keys and rate limits through Redis (the gateway
      // refuses to start them without it): the local Redis of this machine.
      ...(workers === undefined ? {} : { WEB_CONCURRENCY: String(workers), REDIS_URL: options.redisUrl }),
    });

    const arms: Arm[] = [];
    const fixedPids = (pid: number) => () => [pid];
    const noop = () => {};
    if (!mode.soak) {
      arms.push({
        id: 'U',
        label: 'U',
        description: 'the provider sandbox called directly',
        kind: 'upstream',
        origin: sandbox.url,
        pids: fixedPids(sandboxChild.pid),
        loadSidePids: [],
        enter: () => repin(pinning, sandboxChild.pid, pinning.subjectCpus),
        leave: () => repin(pinning, sandboxChild.pid, pinning.otherCpus),
      });
      const proxyArgs = [...(mode.nodeFlags?.('P') ?? []), join(DIST_BENCH, 'proxy.js'), sandbox.url, options.provider, sandbox.apiKey, sandbox.apiSecret];
      const proxyChild = startNode({ name: 'proxy', args: proxyArgs, pinning, cpus: pinning.subjectCpus, ...(mode.wrapper ? { wrapper: mode.wrapper('P') } : {}) });
      started.push(proxyChild);
      // Under valgrind a process starts many times slower.
      const proxy = await firstLine<{ url: string }>(proxyChild, mode.wrapper ? 300_000 : undefined);
      arms.push({ id: 'P', label: 'P', description: 'node:http + undici proxy (bench/proxy.ts)', kind: 'proxy', origin: proxy.url, pids: fixedPids(proxyChild.pid), loadSidePids: [sandboxChild.pid], enter: noop, leave: noop });
    }

    /** `baselineDir`: the arm runs the gateway built there (`--baseline`) instead of this one. */
    const gatewayArm = async (id: string, label: string, workers: number | undefined, cpus: string, baselineDir?: string): Promise<Arm> => {
      const main = baselineDir === undefined ? GATEWAY_MAIN : join(baselineDir, 'dist/src/main.js');
      const port = await freePort();
      const logFile = join(options.outDir, `gateway-${id}.log`);
      const wrapper = mode.wrapper && workers === undefined && baselineDir === undefined ? { wrapper: mode.wrapper('G') } : {};
      const child = startNode({ name: `gateway ${label}`, args: [...nodeFlags, ...(mode.nodeFlags?.('G') ?? []), main], env: gatewayEnv(port, workers), pinning, cpus, logFile, ...wrapper });
      started.push(child);
      const origin = `http://127.0.0.1:${port}`;
      await waitUntilServing(child, `${origin}/healthz`, () => tail(logFile), mode.wrapper ? 300_000 : undefined);
      const description = baselineDir !== undefined ? `the gateway built in ${baselineDir}` : workers === undefined ? 'the gateway (dist/src/main.js)' : `the gateway with WEB_CONCURRENCY=${workers}`;
      return { id, label, description, kind: 'graphql', origin, pids: () => processTree(child.pid), loadSidePids: [sandboxChild.pid], enter: noop, leave: noop };
    };
    if (!mode.soak || options.workers === 1) arms.push(await gatewayArm('G', 'G', undefined, pinning.subjectCpus));
    if (options.workers > 1) {
      // Several workers need several CPUs: G×N may use both, sharing CPU 1 with the load.
      arms.push(await gatewayArm(`G${options.workers}`, `G×${options.workers}`, options.workers, pinning.enabled ? '0,1' : 'any'));
    }
    // The baseline is run as G is: the same environment, flags and CPU (its own npm start
    // script may differ; this compares builds, not start scripts).
    if (!mode.soak && options.baseline !== undefined) arms.push(await gatewayArm('B', 'B', undefined, pinning.subjectCpus, options.baseline));

    const loadChild = startNode({ name: 'load', args: [join(DIST_BENCH, 'load.js')], pinning, cpus: pinning.otherCpus, ipc: true });
    started.push(loadChild);
    const runLoad = (job: Omit<LoadJob, 'credentials'>) =>
      new Promise<LoadResult>((resolve, reject) => {
        const onExit = (code: number | null) => reject(new Error(`load generator exited (${code}): ${loadChild.stderrTail()}`));
        loadChild.process.once('exit', onExit);
        loadChild.process.once('message', (reply: LoadReply) => {
          loadChild.process.off('exit', onExit);
          if (reply.type === 'result') resolve(reply.result);
          else reject(new Error(`load generator failed: ${reply.message}`));
        });
        loadChild.process.send({ type: 'run', job: { ...job, credentials } } satisfies LoadMessage);
      });

    return { arms, credentials, gatewayConfig: { nodeFlags: nodeFlags.join(' '), ...shown, GATEWAY_API_KEYS: `${BENCH_CALLERS} bench keys, scopes payments:read + payments:cancel` }, runLoad, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(-2000);
  } catch {
    return '';
  }
}

/**
 * The arms in the order a round measures them: as given in odd rounds, reversed in even
 * ones, so that no arm always comes last, after the others' load, on a machine whose speed
 * drifts within a round (README, Performance: Method).
 */
export function armOrder<T>(arms: readonly T[], round: number): readonly T[] {
  return round % 2 === 1 ? arms : [...arms].reverse();
}
