/**
 * The typed-client example (examples/typed-client): its generated code is current, it
 * typechecks, its switch over CancelPaymentResult is really exhaustive (tsc rejects it with any
 * member left out), and it cancels payments through the real gateway on the sandboxes.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Kind, parse } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HMAC_SEED_IDS, PRIMER_SEED_IDS } from '../../src/sandboxes/index.js';
import { cancelPayment } from '../../examples/typed-client/src/cancel.js';
import { FULL_KEY } from '../support/credentials.js';
import { globalId, startTestGateway, type TestGateway } from '../support/gateway.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXAMPLE = join(ROOT, 'examples/typed-client');
const require = createRequire(import.meta.url);
const execFileAsync = promisify(execFile);

function bin(pkg: string, name: string): string {
  const manifest = require.resolve(`${pkg}/package.json`);
  const bins = (JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> }).bin;
  return join(dirname(manifest), bins[name]!);
}

const CODEGEN = bin('@graphql-codegen/cli', 'graphql-codegen');
const TSC = bin('typescript', 'tsc');

/** Runs a node script from the repository root; its exit code and everything it printed. */
function run(script: string, args: readonly string[]): { code: number; output: string } {
  try {
    const stdout = execFileSync(process.execPath, [script, ...args], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { status: number | null; stdout?: string; stderr?: string };
    return { code: failed.status ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/** The members of CancelPaymentResult, from the schema itself. */
function cancelResultMembers(): string[] {
  const document = parse(readFileSync(join(ROOT, 'schema/cancel.graphql'), 'utf8'));
  for (const definition of document.definitions) {
    if (definition.kind === Kind.UNION_TYPE_DEFINITION && definition.name.value === 'CancelPaymentResult') {
      return (definition.types ?? []).map((type) => type.name.value);
    }
  }
  throw new Error('no CancelPaymentResult union in schema/cancel.graphql');
}

/** cancel.ts without the lines of one `case 'Member':` (up to the next case or default). */
function withoutCase(source: string, member: string): string {
  const lines = source.split('\n');
  const start = lines.findIndex((line) => line.trim() === `case '${member}': {` || line.trim() === `case '${member}':`);
  if (start < 0) throw new Error(`cancel.ts has no case '${member}'`);
  let end = start + 1;
  while (end < lines.length && !/^\s*(case '|default:)/.test(lines[end]!)) end += 1;
  return [...lines.slice(0, start), ...lines.slice(end)].join('\n');
}

// The example compiled once, as `npm run example:typed-client` does, into a folder next to it
// (so that its imports resolve from the repository's node_modules).
let buildDir: string;
let compiled: { code: number; output: string };
beforeAll(() => {
  buildDir = mkdtempSync(join(EXAMPLE, '.build-'));
  compiled = run(TSC, ['-p', 'examples/typed-client/tsconfig.json', '--outDir', relative(ROOT, buildDir), '--pretty', 'false']);
}, 60_000);
afterAll(() => {
  rmSync(buildDir, { recursive: true, force: true });
});

describe('typed client: build checks', () => {
  it('generated code is current (graphql-codegen --check)', () => {
    const { code, output } = run(CODEGEN, ['--config', 'examples/typed-client/codegen.ts', '--check']);
    expect(output, output).not.toContain('stale');
    expect(code, output).toBe(0);
  }, 60_000);

  it('typechecks and compiles (tsc -p examples/typed-client/tsconfig.json)', () => {
    expect(compiled.output).toBe('');
    expect(compiled.code).toBe(0);
  });

  it('the switch is exhaustive: tsc rejects it with any member left out', () => {
    const members = cancelResultMembers();
    expect(members).toHaveLength(6);
    const source = readFileSync(join(EXAMPLE, 'src/cancel.ts'), 'utf8');
    // The copies live next to the example, so that its imports and node_modules resolve.
    const dir = mkdtempSync(join(EXAMPLE, '.exhaustive-check-'));
    const relocate = (text: string) => text.replaceAll(`from './`, `from '../src/`);
    try {
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../tsconfig.json', compilerOptions: { noEmit: true }, include: ['./*.ts'] }));
      writeFileSync(join(dir, 'control.ts'), relocate(source));
      for (const member of members) writeFileSync(join(dir, `without-${member}.ts`), relocate(withoutCase(source, member)));

      const { code, output } = run(TSC, ['-p', relative(ROOT, dir), '--pretty', 'false']);
      expect(code).not.toBe(0);
      const errors = output.split('\n').filter((line) => line.includes(': error TS'));
      // The unmodified copy compiles: every error comes from a removed case.
      expect(errors.filter((line) => line.includes('control.ts'))).toEqual([]);
      for (const member of members) {
        const inFile = errors.filter((line) => line.includes(`without-${member}.ts(`));
        expect(inFile, `${member}: ${output}`).toHaveLength(1);
        expect(inFile[0]).toMatch(/error TS2322: Type .* is not assignable to type 'never'/);
        expect(inFile[0]).toContain(`"${member}"`);
      }
      expect(errors).toHaveLength(members.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('typed client: against the gateway on the sandboxes', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw?.close();
  });
  beforeEach(() => gw.reset());

  const options = (id: string) => ({ url: gw.server.graphqlUrl, apiKey: FULL_KEY, id });

  it('cancels a cancellable HMAC payment: the success line, one POST to the provider', async () => {
    const id = globalId('HMAC', HMAC_SEED_IDS.requiresCaptureThb);
    const line = await cancelPayment({ ...options(id), reason: 'Customer asked', idempotencyKey: 'example-typed-client-1' });
    expect(line).toBe(`Cancelled payment ${id} (1000.00 THB): status CANCELED.`);
    expect(gw.hmac.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(gw.primer.requests).toHaveLength(0);

    // The same cancel again: recorded by the gateway's idempotency ledger, nothing sent.
    const again = await cancelPayment({ ...options(id), reason: 'Customer asked', idempotencyKey: 'example-typed-client-1' });
    expect(again).toBe(line);
    expect(gw.hmac.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('cancels a cancellable Primer payment', async () => {
    const id = globalId('PRIMER', PRIMER_SEED_IDS.authorizedUsd);
    expect(await cancelPayment(options(id))).toMatch(new RegExp(`^Cancelled payment ${id} \\(\\d+\\.\\d\\d USD\\): status CANCELED\\.$`));
    expect(gw.primer.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('a settled payment: the not-cancellable line (the provider refused the cancel, the gateway read the payment)', async () => {
    const id = globalId('HMAC', HMAC_SEED_IDS.succeededThb);
    expect(await cancelPayment(options(id))).toBe(`Payment ${id} cannot be cancelled: it is SUCCEEDED (provider status succeeded).`);
    expect(gw.hmac.requests.map((r) => r.method)).toEqual(['POST', 'GET']);
    expect(gw.hmac.getPayment(HMAC_SEED_IDS.succeededThb)?.['status']).toBe('succeeded');
  });

  it('other members: invalid input, not found', async () => {
    expect(await cancelPayment(options('not-a-global-id'))).toMatch(/^Invalid input \(id\): /);
    expect(await cancelPayment(options(globalId('HMAC', '00000000-0000-4000-8000-000000000000')))).toMatch(/^No such payment: /);
  });

  it('the compiled script: prints one line per outcome, exit code 0 only for a cancelled payment', async () => {
    expect(compiled.code).toBe(0);
    const script = join(buildDir, 'src/cancel.js');
    // Asynchronously: the gateway answering it runs in this process.
    const cli = async (args: string[], env: Record<string, string>) => {
      try {
        const { stdout, stderr } = await execFileAsync(process.execPath, [script, ...args], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', ...env } });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const failed = error as { code?: number | string; stdout?: string; stderr?: string };
        return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
      }
    };
    const env = { GATEWAY_URL: gw.server.graphqlUrl, GATEWAY_API_KEY: FULL_KEY };
    const primerId = globalId('PRIMER', PRIMER_SEED_IDS.authorizedUsd);

    const cancelled = await cli([primerId, 'Customer asked', 'example-cli-1'], env);
    expect(cancelled).toMatchObject({ code: 0, stderr: '' });
    expect(cancelled.stdout).toMatch(new RegExp(`^Cancelled payment ${primerId} \\(\\d+\\.\\d\\d USD\\): status CANCELED\\.\n$`));
    expect(gw.primer.requests.filter((r) => r.method === 'POST')).toHaveLength(1);

    const settled = await cli([], { ...env, PAYMENT_ID: globalId('HMAC', HMAC_SEED_IDS.succeededThb) });
    expect(settled.code).toBe(1);
    expect(settled.stdout).toMatch(/cannot be cancelled: it is SUCCEEDED/);

    const usage = await cli([primerId], { GATEWAY_URL: gw.server.graphqlUrl });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^usage: /);

    const refused = await cli([primerId], { ...env, GATEWAY_API_KEY: 'pgw_wrong' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/gateway answered 401: UNAUTHENTICATED/);
    expect(refused.stderr).not.toContain('pgw_wrong');
  }, 60_000);

  it('a refused request throws with the GraphQL error code', async () => {
    await expect(cancelPayment({ ...options(globalId('HMAC', HMAC_SEED_IDS.requiresCaptureThb)), apiKey: 'pgw_wrong' })).rejects.toMatchObject({
      name: 'GatewayRequestError',
      status: 401,
      code: 'UNAUTHENTICATED',
    });
    expect(gw.hmac.requests).toHaveLength(0);
  });
});
