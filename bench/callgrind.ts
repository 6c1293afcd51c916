/**
 * `npm run bench -- --callgrind S`: the work each arm does per request, counted in
 * instructions by valgrind's callgrind rather than timed.
 *
 * On a noisy virtual machine the same build's p50 can move by half from one round to the
 * next, so timing cannot show a change of a few percent. Instructions can: callgrind counts
 * every instruction a process executes (its JIT code, V8, Node, libc; not the kernel's), and
 * the count for the same build and load varies by a few percent, from when V8 compiles and
 * collects. One arm at a time runs under callgrind with instrumentation off (the other
 * natively, idle); it is warmed up (`--callgrind S` seconds of load, its code optimized),
 * then counted with instrumentation switched on only for 1000 sequential requests on one
 * connection (`callgrind_control -i on|off`), `--rounds` times per operation. It prints
 * instructions per request for each arm, operation and round, and G/P of the lowest of each
 * arm's rounds (the round least disturbed by compiles and collections).
 *
 * It measures work, not waiting: a system call counts as the instructions around it, a page
 * fault, a cache miss or a wake-up of the other CPU not at all. Use it to compare builds;
 * use the timed benchmark for the targets. Needs valgrind (Debian: apt-get install
 * valgrind); `--callgrind 30 --rounds 2` takes about a quarter of an hour.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Pool } from 'undici';
import { startBenchProcesses, type Arm } from './arms.js';
import { functionsBeyondP, parseCallgrind, parsePerfMap, selfByFunction } from './callgrind-functions.js';
import type { BenchOptions } from './options.js';
import type { Pinning } from './processes.js';
import { machineFacts, median } from './report.js';
import { checkAnswer, requestFactory, type Credentials, type Operation } from './scenarios.js';

const OPERATIONS: readonly Operation[] = ['read', 'cancel'];
/** Requests counted per round. */
const COUNTED = 1000;

/** `count` requests one after the other on one connection, each answer checked. */
async function sequential(arm: Arm, op: Operation, count: number, credentials: Credentials, options: BenchOptions): Promise<void> {
  const make = requestFactory(arm.kind, options.provider, op, credentials, randomBytes(4).toString('hex'));
  const pool = new Pool(arm.origin, { connections: 1 });
  try {
    for (let seq = 0; seq < count; seq += 1) {
      const request = make(seq);
      const response = await pool.request({ method: request.method, path: request.path, headers: request.headers, body: request.body });
      const body = await response.body.text();
      const wrong = checkAnswer(request, response.statusCode, body);
      if (wrong !== undefined) throw new Error(`${arm.id} ${op}: ${wrong}`);
    }
  } finally {
    await pool.close();
  }
}

/** A dump's text: callgrind writes it when the process next runs, after callgrind_control returns. */
async function written(file: string, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const text = readFileSync(file, 'utf8');
      if (/^totals:/m.test(text)) return text;
    } catch {
      // not there yet
    }
    if (Date.now() > deadline) throw new Error(`callgrind wrote no ${file}`);
    await delay(100);
  }
}

/** Instructions (Ir) callgrind counted in one out file: its `totals:` line. */
export function callgrindTotal(text: string): number {
  const match = /^totals:\s+(\d+)/m.exec(text);
  if (!match) throw new Error('callgrind output has no totals line');
  return Number(match[1]);
}

export async function runCallgrind(options: BenchOptions, pinning: Pinning, hz: { hz: number; source: string }): Promise<number> {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
  } catch {
    process.stderr.write('--callgrind needs valgrind (Debian: apt-get install valgrind)\n');
    return 2;
  }
  const facts = machineFacts(pinning, hz);
  const run = `${process.pid}`;
  const prefix = (arm: 'P' | 'G') => join(tmpdir(), `bench-vgdb-${run}-${arm}`);
  const outFile = (arm: 'P' | 'G') => join(tmpdir(), `bench-callgrind-${run}-${arm}.out`);
  /** Where node --perf-basic-prof writes its map (V8's own fixed path, whatever TMPDIR says). */
  const perfMap = (pid: number) => `/tmp/perf-${pid}.map`;
  const wrapper = (arm: 'P' | 'G') => ['valgrind', '--tool=callgrind', '--smc-check=all', '--instr-atstart=no', `--vgdb-prefix=${prefix(arm)}`, `--callgrind-out-file=${outFile(arm)}`];
  // vgdb finds a process by a name made of the prefix, its pid, and the user and host its
  // environment names (LOGNAME or USER, HOST or HOSTNAME): callgrind_control is given the same.
  let gatewayEnv: NodeJS.ProcessEnv = {};
  const control = (arm: 'P' | 'G', pid: number, ...args: string[]) =>
    execFileSync('callgrind_control', [`--vgdb-prefix=${prefix(arm)}`, ...args, String(pid)], { stdio: 'ignore', env: arm === 'G' ? gatewayEnv : process.env });

  const results: { arm: string; op: Operation; round: number; requests: number; instructions: number }[] = [];
  /**
   * With --functions: each arm's lowest window per operation, and how long its perf map was
   * then (V8 reuses the addresses of code it collects: a window's code is named by the map as
   * it stood when the window ended, not by code made later at the same address).
   */
  const lowest = new Map<string, { instructions: number; text: string; mapBytes: number }>();
  const byFunction = new Map<string, Map<string, number>>();
  // One arm under valgrind at a time, the other natively (idle): two processes under
  // valgrind on the subject's CPU made each one's count three times too high.
  for (const target of ['P', 'G'] as const) {
    process.stderr.write(`callgrind: starting ${target} under valgrind (slow)\n`);
    const bench = await startBenchProcesses(options, pinning, {
      soak: false,
      wrapper: (arm) => (arm === target ? wrapper(arm) : []),
      ...(options.callgrindFunctions ? { nodeFlags: () => ['--perf-basic-prof'] } : {}),
    });
    gatewayEnv = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOST: bench.gatewayConfig['HOST'] };
    let dumps = 0;
    try {
      const arm = bench.arms.find((candidate) => candidate.id === target)!;
      /** Instructions over `count` sequential requests, instrumentation on for them only. */
      const countWindow = async (op: Operation, count: number): Promise<number> => {
        const pid = arm.pids()[0]!;
        control(target, pid, '--zero');
        control(target, pid, '--instr=on');
        await sequential(arm, op, count, bench.credentials, options);
        control(target, pid, '--instr=off');
        control(target, pid, '--dump');
        dumps += 1;
        const dump = `${outFile(target)}.${dumps}`;
        const text = await written(dump);
        const instructions = callgrindTotal(text);
        rmSync(dump, { force: true });
        const key = `${target}-${op}`;
        if (options.callgrindFunctions && count === COUNTED && instructions < (lowest.get(key)?.instructions ?? Infinity)) {
          lowest.set(key, { instructions, text, mapBytes: statSync(perfMap(pid)).size });
        }
        return instructions;
      };
      // The first window counted after start-up runs high (by about 300 000 instructions a
      // request for either arm, once; cause not found): one is counted and thrown away.
      await countWindow(OPERATIONS[0]!, 200);
      for (const op of OPERATIONS) {
        for (let round = 1; round <= options.rounds; round += 1) {
          const warm = await bench.runLoad({ origin: arm.origin, kind: arm.kind, provider: options.provider, op, connections: 1, warmupMs: 0, durationMs: options.callgrindS * 1000, subjectPids: arm.pids(), loadSidePids: arm.loadSidePids, hz: hz.hz });
          if (warm.errors > 0) throw new Error(`${target} ${op}: ${warm.errors} request errors while warming up, e.g. ${warm.errorSamples.join('; ')}`);
          const instructions = await countWindow(op, COUNTED);
          results.push({ arm: target, op, round, requests: COUNTED, instructions });
          process.stderr.write(`  ${op} ${target} round ${round}: ${warm.requests} requests of warm-up, then ${COUNTED} counted: ${(instructions / COUNTED / 1000).toFixed(1)} k instructions each\n`);
        }
      }
      if (options.callgrindFunctions) {
        const wholeMap = readFileSync(perfMap(arm.pids()[0]!));
        for (const op of OPERATIONS) {
          const kept = lowest.get(`${target}-${op}`)!;
          const map = wholeMap.subarray(0, kept.mapBytes);
          writeFileSync(join(options.outDir, `callgrind-${target}-${op}.out`), kept.text);
          writeFileSync(join(options.outDir, `perf-${target}-${op}.map`), map);
          byFunction.set(`${target}-${op}`, selfByFunction(parseCallgrind(kept.text), parsePerfMap(map.toString('utf8'))));
          lowest.delete(`${target}-${op}`);
        }
      }
    } finally {
      const pids = bench.arms.filter((arm) => arm.id === 'P' || arm.id === 'G').flatMap((arm) => arm.pids());
      await bench.stop();
      rmSync(outFile(target), { force: true });
      if (options.callgrindFunctions) for (const pid of pids) rmSync(perfMap(pid), { force: true });
    }
  }

  const perRequest = (arm: string, op: Operation) => results.filter((r) => r.arm === arm && r.op === op).map((r) => r.instructions / r.requests / 1000);
  const lines = ['', `${facts.date}  node ${facts.node}  callgrind, one connection, ${options.rounds} rounds of ${COUNTED} requests after ${options.callgrindS} s of warm-up`];
  const summary = OPERATIONS.map((op) => {
    const p = perRequest('P', op);
    const g = perRequest('G', op);
    const ratio = Math.min(...g) / Math.min(...p);
    lines.push(`${op.padEnd(7)} P ${p.map((v) => v.toFixed(1)).join(' ')} kIr/request; G ${g.map((v) => v.toFixed(1)).join(' ')}; G/P of the lowest ${ratio.toFixed(2)} (of the medians ${(median(g) / median(p)).toFixed(2)})`);
    return { op, pKiloInstructions: p, gKiloInstructions: g, ratioOfLowest: ratio, ratioOfMedians: median(g) / median(p) };
  });
  if (options.callgrindFunctions) {
    for (const op of OPERATIONS) {
      lines.push('', `${op}: the functions G spends the most instructions on beyond P's, per request (self cost; lowest rounds; callgrind-{P,G}-${op}.out and perf-{P,G}-${op}.map in ${options.outDir})`);
      for (const row of functionsBeyondP(byFunction.get(`P-${op}`)!, COUNTED, byFunction.get(`G-${op}`)!, COUNTED, 30)) {
        lines.push(`${Math.round(row.g - row.p).toString().padStart(8)}  (G ${Math.round(row.g).toString().padStart(6)}, P ${Math.round(row.p).toString().padStart(6)})  ${row.name.slice(0, 120)}`);
      }
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  writeFileSync(join(options.outDir, 'callgrind.json'), `${JSON.stringify({ ...facts, options: { ...options, outDir: undefined }, results, summary }, null, 2)}\n`);
  return 0;
}
