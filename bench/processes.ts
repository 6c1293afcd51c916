/**
 * The benchmark's child processes: starting them (pinned to CPUs with `taskset` where it
 * works), waiting until they serve, moving one to other CPUs, and stopping them. Every child
 * is remembered and killed if the harness exits any other way.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { openSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { request } from 'undici';

export interface Pinning {
  readonly enabled: boolean;
  /** Why pinning is on or off, for the report. */
  readonly note: string;
  /** The subject's CPU, and the CPU of the load generator and the non-subject sandbox. */
  readonly subjectCpus: string;
  readonly otherCpus: string;
}

export function detectPinning(disabled: boolean): Pinning {
  const off = (note: string): Pinning => ({ enabled: false, note, subjectCpus: 'any', otherCpus: 'any' });
  if (disabled) return off('off (--no-pin)');
  if (availableParallelism() < 2) return off(`off: ${availableParallelism()} CPU available, 2 needed`);
  try {
    execFileSync('taskset', ['-c', '0,1', 'true'], { stdio: 'ignore' });
  } catch {
    return off('off: taskset is missing or refused (Debian: apt-get install util-linux)');
  }
  return { enabled: true, note: 'taskset: subject on CPU 0; load generator and the non-subject sandbox on CPU 1', subjectCpus: '0', otherCpus: '1' };
}

/** Moves a running process (all its threads) to `cpus`. */
export function repin(pinning: Pinning, pid: number, cpus: string): void {
  if (pinning.enabled) execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
}

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
// Interrupted: exit, so that the handler above ends the children (the gateway would outlive us).
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  readonly pid: number;
  /** The last few kB it wrote to stderr (for error messages). */
  stderrTail(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly name: string;
  readonly args: readonly string[];
  readonly pinning: Pinning;
  /** `taskset -c` list when pinned. */
  readonly cpus: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Where stdout and stderr go; default: piped (stdout's first line read by `firstLine`). */
  readonly logFile?: string;
  /** An IPC channel (for the load generator). */
  readonly ipc?: boolean;
  /** A command that runs node, before it (`valgrind --tool=callgrind …`); its pid is node's. */
  readonly wrapper?: readonly string[];
}

/** Starts `node <args>`, under `taskset -c <cpus>` when pinning (taskset execs node, so the pid is node's). */
export function startNode(options: StartOptions): Child {
  const node = [...(options.wrapper ?? []), process.execPath, ...options.args];
  const command = options.pinning.enabled ? 'taskset' : node[0]!;
  const args = options.pinning.enabled ? ['-c', options.cpus, ...node] : node.slice(1);
  const log = options.logFile === undefined ? 'pipe' : openSync(options.logFile, 'w');
  const stdio = ['pipe', log, log, ...(options.ipc ? ['ipc' as const] : [])] as const;
  const child = spawn(command, args, { env: options.env ?? process.env, stdio: [...stdio] });
  children.add(child);
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-4096)));
  const exited = once(child, 'exit');
  return {
    name: options.name,
    process: child,
    pid: child.pid!,
    stderrTail: () => tail,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin?.end();
      child.kill('SIGTERM');
      const timedOut = await Promise.race([exited.then(() => false), delay(5_000).then(() => true)]);
      if (timedOut) child.kill('SIGKILL');
      children.delete(child);
    },
  };
}

/** The first line a child prints as JSON (sandbox and proxy announce their URL so). */
export async function firstLine<T>(child: Child, timeoutMs = 15_000): Promise<T> {
  const stdout = child.process.stdout;
  if (!stdout) throw new Error(`${child.name}: stdout is not piped`);
  let text = '';
  const line = new Promise<string>((resolve, reject) => {
    stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const end = text.indexOf('\n');
      if (end >= 0) resolve(text.slice(0, end));
    });
    child.process.once('exit', (code) => reject(new Error(`${child.name} exited (${code}) before it was ready: ${child.stderrTail()}`)));
  });
  const timeout = delay(timeoutMs).then(() => {
    throw new Error(`${child.name} did not start within ${timeoutMs} ms`);
  });
  return JSON.parse(await Promise.race([line, timeout])) as T;
}

/** A TCP port free right now on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls `url` until it answers 200; fails when the child exits or time runs out. */
export async function waitUntilServing(child: Child, url: string, describe: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) throw new Error(`${child.name} exited (${child.process.exitCode}) before serving: ${describe()}`);
    try {
      const response = await request(url, { headersTimeout: 1_000, bodyTimeout: 1_000 });
      await response.body.dump();
      if (response.statusCode === 200) return;
    } catch {
      // not listening yet
    }
    await delay(50);
  }
  throw new Error(`${child.name} did not serve ${url} within ${timeoutMs} ms: ${describe()}`);
}
