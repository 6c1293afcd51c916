/**
 * Smoke test of `npm run bench` in its quickest mode, on the code built by the globalSetup:
 * it runs to the end without a request error and writes complete, sane results. It asserts
 * no speed target: tests do not time things.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { armOrder, startScript } from '../../bench/arms.js';
import { callgrindTotal } from '../../bench/callgrind.js';
import { functionName, functionsBeyondP, parseCallgrind, parsePerfMap, selfByFunction } from '../../bench/callgrind-functions.js';
import { parseOptions } from '../../bench/options.js';
import { detectPinning, firstLine, startNode } from '../../bench/processes.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const SCENARIOS = ['read@1', 'read@4', 'cancel@1', 'cancel@4'];
const ARMS = ['U', 'P', 'G', 'B'];
const METRICS = ['throughput', 'p50Us', 'p90Us', 'p99Us', 'cpuUsPerRequest', 'peakRssMb', 'requests'];

describe('the bench options', () => {
  it('gathers the Node flags of every --node-flags, in order, and none without one', () => {
    expect(parseOptions(['--node-flags=--perf-prof  --interpreted-frames-native-stack', '--node-flags=--max-old-space-size=300']).gatewayNodeFlags).toEqual([
      '--perf-prof',
      '--interpreted-frames-native-stack',
      '--max-old-space-size=300',
    ]);
    expect(parseOptions([]).gatewayNodeFlags).toEqual([]);
  });

  it('takes --callgrind as the warm-up seconds of the instruction count, off unless given', () => {
    expect(parseOptions([]).callgrindS).toBe(0);
    expect(parseOptions(['--callgrind', '90', '--rounds', '2']).callgrindS).toBe(90);
    expect(() => parseOptions(['--callgrind', '0'])).toThrow('--callgrind must be a positive number');
    expect(parseOptions(['--callgrind', '30']).callgrindFunctions).toBe(false);
    expect(parseOptions(['--callgrind', '30', '--functions']).callgrindFunctions).toBe(true);
    expect(() => parseOptions(['--functions'])).toThrow('--functions goes with --callgrind');
  });

  it('takes --baseline as a built checkout, refusing one that is not built and the modes it does not go with', () => {
    expect(parseOptions([]).baseline).toBeUndefined();
    expect(parseOptions(['--baseline', ROOT]).baseline).toBe(ROOT.replace(/\/$/, ''));
    const empty = mkdtempSync(join(tmpdir(), 'bench-baseline-'));
    try {
      expect(() => parseOptions(['--baseline', empty])).toThrow(`--baseline: ${join(empty, 'dist/src/main.js')} not found`);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    expect(() => parseOptions(['--baseline', ROOT, '--soak', '60'])).toThrow('--baseline goes with the benchmark');
    expect(() => parseOptions(['--baseline', ROOT, '--callgrind', '30'])).toThrow('--baseline goes with the benchmark');
  });
});

describe('the rounds', () => {
  it('measure the arms in turn, in the order given in odd rounds and reversed in even ones', () => {
    const arms = ['U', 'P', 'G'];
    expect([1, 2, 3, 4].map((round) => armOrder(arms, round).join(''))).toEqual(['UPG', 'GPU', 'UPG', 'GPU']);
    expect(arms).toEqual(['U', 'P', 'G']);
    expect(parseOptions([]).rounds).toBe(6);
  });
});

describe('the callgrind mode', () => {
  it("reads the instruction count from a callgrind dump's totals line", () => {
    expect(callgrindTotal('version: 1\ncreator: callgrind-3.19.0\nevents: Ir\nsummary: 0\nfn=(1) main\n3 10\ntotals: 123456789\n')).toBe(123456789);
    expect(() => callgrindTotal('events: Ir\nsummary: 0\n')).toThrow('no totals');
  });

  it('sums self costs by function, leaving out what calls cost, and names generated code through the latest perf map line that covers it', () => {
    const dump = [
      'version: 1',
      'creator: callgrind-3.19.0',
      'pid: 42',
      'positions: line',
      'events: Ir',
      'summary: 480',
      'ob=(1) /usr/bin/node',
      'fl=(1) ???',
      'fn=(1) 0x0000000000001010',
      '0 100',
      '+2 50',
      'cfn=(2) v8::internal::JsonParser::ParseJsonValue',
      'calls=1 0',
      '0 400',
      'fn=(2)',
      '0 300',
      "fn=(3) 0x0000000000002004'2",
      '* 25',
      'fn=(4) 0x0000000000009000',
      '-1 5',
      '',
      'totals: 480',
      '',
    ].join('\n');
    const parsed = parseCallgrind(dump);
    expect(parsed.pid).toBe(42);
    expect(parsed.total).toBe(480);
    expect([...parsed.self.values()].reduce((a, b) => a + b, 0)).toBe(480);
    // V8 reused 0x1000 for other code: the later line names it.
    const map = parsePerfMap('1000 100 JS:*walk file:///a.js:1:1\n2000 10 JS:~other file:///b.js:2:2\n1000 80 JS:^later file:///c.js:3:3\n');
    expect(functionName('0x0000000000001010', map)).toBe('JS later file:///c.js:3:3');
    expect(functionName('0x0000000000001090', map)).toBe('generated code (unnamed)');
    expect(functionName("0x0000000000002004'3", map)).toBe('JS other file:///b.js:2:2');
    expect(functionName("v8::internal::Foo'2", null)).toBe('v8::internal::Foo');
    expect(Object.fromEntries(selfByFunction(parsed, map))).toEqual({
      'JS later file:///c.js:3:3': 150,
      'v8::internal::JsonParser::ParseJsonValue': 300,
      'JS other file:///b.js:2:2': 25,
      'generated code (unnamed)': 5,
    });
    const p = new Map([['a', 1000], ['b', 500]]);
    const g = new Map([['a', 1500], ['b', 400], ['c', 300]]);
    expect(functionsBeyondP(p, 10, g, 10, 2)).toEqual([
      { name: 'a', p: 100, g: 150 },
      { name: 'c', p: 0, g: 30 },
    ]);
  });

  it('runs a child node under the wrapper command it is given (there: valgrind)', async () => {
    const child = startNode({ name: 'wrapped', args: ['-e', 'console.log(JSON.stringify({ wrapped: process.env.BENCH_WRAPPED }))'], pinning: detectPinning(true), cpus: 'any', wrapper: ['env', 'BENCH_WRAPPED=yes'] });
    try {
      expect(await firstLine<{ wrapped: string }>(child)).toEqual({ wrapped: 'yes' });
    } finally {
      await child.stop();
    }
  });
});

describe('the gateway arm runs as npm start does', () => {
  it("takes its environment and Node flags from package.json's start script, and refuses a script of another shape", () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-start-'));
    const write = (start: string) => {
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { start } }));
      return join(dir, 'package.json');
    };
    expect(startScript(write('node --a --b=1  dist/src/main.js'))).toEqual({ env: {}, nodeFlags: ['--a', '--b=1'] });
    expect(startScript(write('node dist/src/main.js'))).toEqual({ env: {}, nodeFlags: [] });
    expect(startScript(write('A_B=1 C= node --a dist/src/main.js'))).toEqual({ env: { A_B: '1', C: '' }, nodeFlags: ['--a'] });
    expect(() => startScript(write('tsx src/main.ts'))).toThrow(/scripts.start/);
    expect(() => startScript(write('node --a dist/src/main.js && echo'))).toThrow(/scripts.start/);
    // A value the shell would expand or split is not read as a plain value.
    expect(() => startScript(write('A=$HOME node dist/src/main.js'))).toThrow(/scripts.start/);
    expect(() => startScript(write('A="x y" node dist/src/main.js'))).toThrow(/scripts.start/);
    expect(() => startScript(write('A=1;B=2 node dist/src/main.js'))).toThrow(/scripts.start/);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('npm run bench -- --quick', () => {
  it('runs every arm and scenario without errors and writes complete results', { timeout: 120_000 }, async () => {
    // This checkout is its own baseline: arm B runs the same build from the path given.
    const args = ['dist/bench/run.js', '--quick', '--out', out, '--node-flags=--max-old-space-size=300 --no-warnings', '--baseline', ROOT];
    const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: ROOT, timeout: 110_000 });
    expect(stdout).toContain('no request errors');
    expect(stdout).toMatch(/PASS|MISS/);

    const results = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8'));
    expect(results.errors).toBe(0);
    expect(results.flagged).toBe(false);
    expect(results.rounds).toHaveLength(1);
    // The gateway ran with npm start's flags, then the ones given (which win), and says so.
    expect(results.gateway.nodeFlags).toBe(`${startScript().nodeFlags.join(' ')} --max-old-space-size=300 --no-warnings`);
    expect(startScript().nodeFlags).toContain('--max-old-space-size=1024');
    // And with the start script's environment, shown with the rest of its configuration.
    expect(startScript().env).toEqual({ MALLOC_TRIM_THRESHOLD_: '131072' });
    expect(results.gateway.MALLOC_TRIM_THRESHOLD_).toBe('131072');
    expect(Object.keys(results.summary)).toEqual(SCENARIOS);
    for (const scenario of SCENARIOS) {
      expect(Object.keys(results.summary[scenario])).toEqual(ARMS);
      for (const arm of ARMS) {
        const summary = results.summary[scenario][arm];
        for (const metric of METRICS) expect(summary[metric], `${scenario} ${arm} ${metric}`).toBeGreaterThan(0);
        expect(summary.p99Us).toBeGreaterThanOrEqual(summary.p50Us);
        expect(summary.errors).toBe(0);
      }
      for (const pair of ['G/P', 'G/B']) {
        const ratios = results.ratios[scenario][pair];
        for (const ratio of ['throughput', 'cpuPerRequest', 'p50', 'p99']) expect(ratios[ratio], `${scenario} ${pair} ${ratio}`).toBeGreaterThan(0);
      }
    }
    expect(results.arms.B.description).toBe(`the gateway built in ${ROOT.replace(/\/$/, '')}`);
    expect(stdout).not.toContain('WEB_CONCURRENCY was not honoured');
    expect(results.targets.map((target: { name: string }) => target.name)).toEqual([
      'throughput G/P, read@1',
      'throughput G/P, cancel@1',
      'throughput G/P, read@4',
      'throughput G/P, cancel@4',
      'p50(G)/p50(P), read@1',
      'p50(G)/p50(P), cancel@1',
      'p99(G)/p99(P), read@4',
      'p99(G)/p99(P), cancel@4',
      'G peak RSS (VmHWM) over the run',
      'G RSS growth over five minutes',
    ]);
    expect(readFileSync(join(out, 'latency.svg'), 'utf8')).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<\/svg>\n$/);
  });
});
