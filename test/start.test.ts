/**
 * `npm start` as a user runs it: the built gateway in its own process.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHmacSandbox, createPrimerSandbox, HMAC_SEED_IDS, type HmacSandbox, type PrimerSandbox } from '../src/sandboxes/index.js';
import { globalId } from './support/gateway.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = 'dist/src/main.js';

beforeAll(() => {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'pipe' });
}, 120_000);

interface Started {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function run(env: Record<string, string>): Started {
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', TZ: process.env['TZ'] ?? '', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return { child, stdout: () => out, stderr: () => err };
}

/** Resolves with the GraphQL URL once the banner is printed (or rejects when the process exits first). */
async function graphqlUrl(started: Started): Promise<string> {
  const pattern = /GraphQL at (http:\/\/\S+\/graphql)/;
  while (!pattern.test(started.stdout())) {
    const exited = once(started.child, 'exit').then(() => 'exit' as const);
    const data = once(started.child.stdout!, 'data').then(() => 'data' as const);
    if ((await Promise.race([exited, data])) === 'exit' && !pattern.test(started.stdout())) {
      throw new Error(`gateway exited: ${started.stderr()}`);
    }
  }
  return pattern.exec(started.stdout())![1]!;
}

async function post(url: string, query: string) {
  const response = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return { status: response.statusCode, body: (await response.body.json()) as any };
}

describe('npm start with nothing configured', () => {
  it('serves GraphQL on the embedded sandboxes, prints sample ids, never Apollo\'s CDN page, and stops on SIGTERM', async () => {
    const started = run({});
    const url = await graphqlUrl(started);
    const sampleIds = [...started.stdout().matchAll(/^\s+([A-Za-z0-9_-]{16,})\s+\(/gm)].map((m) => m[1]!);
    expect(sampleIds.length).toBeGreaterThanOrEqual(4);

    const response = await post(url, `{ payments(ids: ${JSON.stringify(sampleIds)}) { id provider status } }`);
    expect(response.status).toBe(200);
    expect(response.body.data.payments.map((p: { id: string }) => p.id)).toEqual(sampleIds);
    expect(new Set(response.body.data.payments.map((p: { provider: string }) => p.provider))).toEqual(new Set(['HMAC', 'PRIMER']));

    const page = await request(url, { method: 'GET', headers: { accept: 'text/html' } });
    const html = await page.body.text();
    expect(html).not.toMatch(/apollographql|embeddable|sandbox\.js|fonts\.googleapis/i);

    started.child.kill('SIGTERM');
    const [code] = await once(started.child, 'exit');
    expect(code).toBe(0);
  });
});

describe('npm start with providers configured', () => {
  let hmac: HmacSandbox;
  let primer: PrimerSandbox;
  beforeAll(async () => {
    hmac = await createHmacSandbox({ apiKey: 'live_like_key_1', apiSecret: 'live_like_secret_1' });
    primer = await createPrimerSandbox({ apiKey: 'live_like_primer_1' });
  });
  afterAll(async () => {
    await hmac.close();
    await primer.close();
  });

  it('talks to the configured providers instead of the embedded sandboxes', async () => {
    hmac.putPayment({ ...hmac.getPayment(HMAC_SEED_IDS.succeededThb), id: 'only-at-the-configured-hmac' });
    primer.putPayment({ ...primer.getPayment('Sd1tUs6G'), id: 'OnlyHere1' });
    const started = run({
      HMAC_API_BASE_URL: hmac.url,
      HMAC_API_KEY: 'live_like_key_1',
      HMAC_API_SECRET: 'live_like_secret_1',
      PRIMER_API_BASE_URL: primer.url,
      PRIMER_API_KEY: 'live_like_primer_1',
    });
    const url = await graphqlUrl(started);
    expect(started.stdout()).not.toContain('Payments to try');
    const response = await post(url, `{
      a: payment(id: "${globalId('HMAC', 'only-at-the-configured-hmac')}") { status }
      b: payment(id: "${globalId('PRIMER', 'OnlyHere1')}") { status }
    }`);
    expect(response.body).toEqual({ data: { a: { status: 'SUCCEEDED' }, b: { status: 'SUCCEEDED' } } });
    expect(hmac.requests).toHaveLength(1);
    expect(primer.requests).toHaveLength(1);
    const output = started.stdout() + started.stderr();
    for (const secret of ['live_like_key_1', 'live_like_secret_1', 'live_like_primer_1']) expect(output).not.toContain(secret);
  });
});

describe('npm start with a bad configuration', () => {
  it.each([
    [{ HMAC_API_KEY: 'hk_secret_value' }, 'HMAC_API_BASE_URL'],
    [{ HMAC_API_BASE_URL: 'https://api.example.com', HMAC_API_KEY: 'hk_secret_value' }, 'HMAC_API_SECRET'],
    [{ PRIMER_API_BASE_URL: 'https://api.primer.io' }, 'PRIMER_API_KEY'],
    [{ PRIMER_API_KEY: 'hk_secret_value', PRIMER_API_BASE_URL: 'api.primer.io' }, 'PRIMER_API_BASE_URL'],
    [{ PORT: 'eighty' }, 'PORT'],
  ])('%j stops with one line naming %s', async (env, variable) => {
    const started = run(env);
    const [code] = await once(started.child, 'exit');
    expect(code).toBe(2);
    const lines = started.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(variable);
    expect(started.stderr()).not.toContain('hk_secret_value');
    expect(started.stdout()).toBe('');
  });
});
