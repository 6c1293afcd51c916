/**
 * WEB_CONCURRENCY=N (N > 1): N worker processes share the port (node:cluster; the primary
 * accepts connections and hands them to the workers in turn). The primary serves nothing: it
 * starts what the workers share (the embedded sandboxes, the development key), forks the
 * workers, prints the first worker's banner once all are ready, replaces a worker that dies,
 * and on SIGTERM or SIGINT stops every worker gracefully before it exits.
 *
 * What workers share otherwise goes through Redis (config.ts refuses several workers without
 * REDIS_URL): idempotency keys and cancel rate limits. Breakers and pools are per worker.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import type { GatewayConfig } from './config.js';
import { startGateway, startSharedSetup, type SharedSetup } from './start.js';

const SETUP_VARIABLE = 'GATEWAY_WORKER_SETUP';
/** A worker that dies this soon after the previous restart is not restarted again. */
const RESTART_WINDOW_MS = 5_000;

interface ReadyMessage {
  readonly type: 'gateway-ready';
  readonly banner: string;
}

function isReady(message: unknown): message is ReadyMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'gateway-ready';
}

export function isClusterWorker(): boolean {
  return cluster.isWorker;
}

/** The primary: resolves once every worker has exited after a stop signal; the exit code. */
export async function runPrimary(config: GatewayConfig, log: Logger, print: (line: string) => void): Promise<number> {
  const shared = await startSharedSetup(config);
  const env = { [SETUP_VARIABLE]: JSON.stringify(shared.setup) };
  const workers = new Set<Worker>();
  let stopping = false;
  let lastRestart = 0;
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((resolve) => (resolveDone = resolve));

  const stop = (signal: string, code: number) => {
    if (stopping) return;
    stopping = true;
    print(`Received ${signal}, shutting down ${workers.size} workers`);
    for (const worker of workers) worker.process.kill('SIGTERM');
    const finish = () => void shared.close().then(() => resolveDone(code), () => resolveDone(1));
    if (workers.size === 0) finish();
    else cluster.on('exit', () => workers.size === 0 && finish());
  };

  const fork = (): Worker => {
    const worker = cluster.fork(env);
    workers.add(worker);
    worker.on('exit', (exitCode, signal) => {
      workers.delete(worker);
      if (stopping) return;
      log.error({ pid: worker.process.pid, exitCode, signal }, 'gateway worker died');
      if (Date.now() - lastRestart < RESTART_WINDOW_MS) {
        log.fatal('gateway workers keep dying: stopping');
        stop('repeated worker failures', 1);
        return;
      }
      lastRestart = Date.now();
      fork();
    });
    return worker;
  };

  // All workers ready (or one died first).
  const started = Array.from({ length: config.workers }, () => {
    const worker = fork();
    return new Promise<string>((resolve, reject) => {
      worker.on('message', (message: unknown) => isReady(message) && resolve(message.banner));
      worker.once('exit', (code) => reject(new Error(`a worker exited (code ${code}) before it was ready`)));
    });
  });
  process.once('SIGINT', () => stop('SIGINT', 0));
  process.once('SIGTERM', () => stop('SIGTERM', 0));
  try {
    const banners = await Promise.all(started);
    print(`${banners[0]}\nWorkers: ${config.workers} processes share the port (pids ${[...workers].map((w) => w.process.pid).join(', ')})`);
  } catch (error) {
    log.fatal({ err: error }, 'gateway workers could not start');
    stop('start-up failure', 1);
  }
  return done;
}

/** A worker: the whole gateway, with what its primary shares. Resolves once it is serving. */
export async function runWorker(env: NodeJS.ProcessEnv, logger: (config: GatewayConfig) => Logger): Promise<void> {
  const shared = JSON.parse(env[SETUP_VARIABLE] ?? '{}') as SharedSetup;
  const gateway = await startGateway(env, logger, shared);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    gateway.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  // SIGTERM from the primary; SIGINT reaches every process of a terminal's Ctrl-C; a primary
  // that is gone leaves the worker disconnected.
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.once('disconnect', stop);
  process.send?.({ type: 'gateway-ready', banner: gateway.banner } satisfies ReadyMessage);
}
