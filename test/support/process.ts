/**
 * The built gateway (dist/src/main.js, made by the vitest globalSetup) as its own process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface GatewayProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the GraphQL URL once the banner is printed; rejects if the process exits first. */
  graphqlUrl(): Promise<string>;
  /** SIGTERM, and the exit code. */
  stop(): Promise<number | null>;
  /** The exit code, once the process ends by itself. */
  exit(): Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** Kills whatever a test left running. */
export function killAll(): void {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  running.clear();
}

export function runGateway(env: Record<string, string>): GatewayProcess {
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', TZ: process.env['TZ'] ?? '', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = once(child, 'exit');
  const pattern = /GraphQL at (http:\/\/\S+\/graphql)/;

  return {
    child,
    stdout: () => out,
    stderr: () => err,
    async graphqlUrl() {
      while (!pattern.test(out)) {
        const next = await Promise.race([exited.then(() => 'exit' as const), once(child.stdout!, 'data').then(() => 'data' as const)]);
        if (next === 'exit' && !pattern.test(out)) throw new Error(`gateway exited before it was ready: ${err}`);
      }
      return pattern.exec(out)![1]!;
    },
    async exit() {
      const [code] = await exited;
      running.delete(child);
      return code as number | null;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const [code] = await exited;
      running.delete(child);
      return code as number | null;
    },
  };
}

export async function postGraphQL(url: string, query: string, variables?: Record<string, unknown>, credential?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (credential !== undefined) headers['authorization'] = `Bearer ${credential}`;
  const response = await request(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { status: response.statusCode, headers: response.headers, body: (await response.body.json()) as any };
}
