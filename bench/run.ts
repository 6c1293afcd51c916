/**
 * `npm run bench`: a reproducible loopback benchmark of the gateway against two yardsticks.
 *
 *   U  the provider sandbox called directly (what any server in front of it must add to)
 *   P  a minimal node:http + undici proxy doing the same provider call and normalization
 *      (bench/proxy.ts): the yardstick the gateway is judged by, G/P
 *   G  the gateway as `npm start` runs it (arms.ts has its configuration)
 *
 * Scenarios: the same payment read and the same cancel (bench/scenarios.ts), each at 1 and at
 * 64 connections. Method, and why:
 * - Every process is separate (sandbox, load generator, P, G), as in production, so none
 *   steals the other's event loop. On this 2-core machine the subject (the sandbox for U, P
 *   or G) is pinned to CPU 0 and the load generator and the sandbox (when it is not the
 *   subject) to CPU 1, so the subject has a core to itself and measurements repeat.
 * - Each arm is warmed up on every scenario first (JIT, connection pools), then rounds
 *   interleave the arms (for each round, each scenario: U, P, G, and G, P, U in the next
 *   round): a machine whose speed drifts (other work, thermal) drifts for all arms alike,
 *   and no arm always comes last after the others' load. Each measurement opens with an
 *   uncounted settle period.
 * - The load generator is a closed loop (a connection sends its next request when the answer
 *   is in) with a nanosecond histogram, so microsecond latencies are real; it checks every
 *   answer, and any error flags the run (exit code 3).
 * - CPU per request is the subject's own utime+stime over the counted window ÷ requests:
 *   unlike throughput, it does not depend on whether the load generator kept up. The CPU
 *   use of both sides is reported, so a throughput limited by the load side shows as such.
 *   RSS is the subject's peak resident set (VmHWM), all its processes summed.
 * - Reported: medians across rounds, and ratios as the median of per-round ratios.
 *
 * `--soak S` (soak.ts) checks memory instead; `--callgrind S` (callgrind.ts) counts instructions
 * per request instead; `--workers N` adds G with WEB_CONCURRENCY=N.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { request } from 'undici';
import { armOrder, startBenchProcesses, type Arm, type BenchProcesses } from './arms.js';
import { latencyChart } from './chart.js';
import { parseOptions, USAGE, type BenchOptions } from './options.js';
import { clockTicksPerSecond, peakRssMb } from './procfs.js';
import { detectPinning, repin, type Pinning } from './processes.js';
import {
  benchTargets,
  machineFacts,
  formatRatios,
  formatTable,
  formatTargets,
  pairRatios,
  scenarioName,
  summarize,
  type ArmSummary,
  type Measurement,
  type PairRatios,
  type RoundResults,
} from './report.js';
import { checkAnswer, requestFactory, type BenchProvider, type Operation } from './scenarios.js';
import { runCallgrind } from './callgrind.js';
import { runSoak } from './soak.js';

interface Scenario {
  readonly name: string;
  readonly op: Operation;
  readonly connections: number;
}

const progress = (text: string) => process.stderr.write(`${text}\n`);

async function measure(bench: BenchProcesses, arm: Arm, scenario: Scenario, options: BenchOptions, hz: number, settleMs: number, durationMs: number): Promise<Measurement> {
  arm.enter();
  try {
    const pids = arm.pids();
    const result = await bench.runLoad({
      origin: arm.origin,
      kind: arm.kind,
      provider: options.provider,
      op: scenario.op,
      connections: scenario.connections,
      warmupMs: settleMs,
      durationMs,
      subjectPids: pids,
      loadSidePids: arm.loadSidePids,
      hz,
    });
    const cpuUs = (result.cpuTicks / hz) * 1e6;
    return {
      ...result,
      cpuUsPerRequest: result.requests === 0 ? 0 : Math.round((cpuUs / result.requests) * 10) / 10,
      cpuUtilization: Math.round((cpuUs / (result.durationS * 1e6)) * 100) / 100,
      loadSideUtilization: Math.round((result.loadSideCpuUs / (result.durationS * 1e6)) * 100) / 100,
      peakRssMb: Math.round(peakRssMb(pids) * 10) / 10,
      processes: pids.length,
    };
  } finally {
    arm.leave();
  }
}

/** One read and one cancel through every arm, checked; P's answers must be G's (ids aside). */
async function preflight(bench: BenchProcesses, provider: BenchProvider): Promise<void> {
  const bodies = new Map<string, unknown>();
  let seq = 0;
  for (const arm of bench.arms) {
    for (const op of ['read', 'cancel'] as const) {
      const built = requestFactory(arm.kind, provider, op, bench.credentials, 'pre')(op === 'read' ? 0 : ++seq);
      const response = await request(`${arm.origin}${built.path}`, { method: built.method, headers: built.headers, body: built.body });
      const text = await response.body.text();
      const wrong = checkAnswer(built, response.statusCode, text);
      if (wrong !== undefined) throw new Error(`preflight: ${arm.label} ${op} answered wrongly (${wrong}): ${text.slice(0, 300)}`);
      if (arm.kind !== 'upstream') bodies.set(`${arm.id} ${op}`, withoutIds(JSON.parse(text)));
    }
  }
  for (const op of ['read', 'cancel']) {
    if (!isDeepStrictEqual(bodies.get(`P ${op}`), bodies.get(`G ${op}`))) {
      throw new Error(`preflight: P and G answer the ${op} differently:\nP ${JSON.stringify(bodies.get(`P ${op}`))}\nG ${JSON.stringify(bodies.get(`G ${op}`))}`);
    }
  }
}

/** The answer with payment ids blanked (the cancels name different payments). */
function withoutIds(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, field: unknown) => (key === 'id' || key === 'providerPaymentId' ? '…' : field)));
}

async function runBenchmark(options: BenchOptions, pinning: Pinning, hz: { hz: number; source: string }): Promise<number> {
  const facts = machineFacts(pinning, hz);
  const bench = await startBenchProcesses(options, pinning, { soak: false });
  try {
    await preflight(bench, options.provider);
    const scenarios: Scenario[] = (['read', 'cancel'] as const).flatMap((op) => options.connections.map((connections) => ({ name: scenarioName(op, connections), op, connections })));
    let errors = 0;
    const errorSamples = new Set<string>();
    const note = (arm: Arm, scenario: Scenario, m: Measurement) => {
      errors += m.errors;
      for (const sample of m.errorSamples) errorSamples.add(`${arm.label} ${scenario.name}: ${sample}`);
    };

    progress(`warm-up: ${options.warmupS} s per arm and scenario`);
    for (const arm of bench.arms) {
      for (const scenario of scenarios) note(arm, scenario, await measure(bench, arm, scenario, options, hz.hz, 0, options.warmupS * 1000));
    }
    const rounds: RoundResults[] = [];
    for (let round = 1; round <= options.rounds; round += 1) {
      progress(`round ${round}/${options.rounds}`);
      const results: RoundResults = {};
      for (const scenario of scenarios) {
        results[scenario.name] = {};
        for (const arm of armOrder(bench.arms, round)) {
          const m = await measure(bench, arm, scenario, options, hz.hz, options.settleS * 1000, options.durationS * 1000);
          note(arm, scenario, m);
          results[scenario.name]![arm.id] = m;
        }
      }
      rounds.push(results);
    }

    const armLabels = Object.fromEntries(bench.arms.map((arm) => [arm.id, arm.label]));
    const summary: Record<string, Record<string, ArmSummary>> = {};
    const ratios: Record<string, Record<string, PairRatios>> = {};
    // G against P; another gateway arm against G (G×N/G), but G against the baseline (G/B).
    const pairs = [['G', 'P'], ...bench.arms.filter((arm) => arm.id !== 'G' && arm.kind === 'graphql').map((arm) => (arm.id === 'B' ? ['G', 'B'] : [arm.id, 'G']))] as [string, string][];
    for (const scenario of scenarios) {
      summary[scenario.name] = Object.fromEntries(bench.arms.map((arm) => [arm.id, summarize(rounds, scenario.name, arm.id)]));
      ratios[scenario.name] = Object.fromEntries(pairs.map(([a, b]) => [`${armLabels[a]}/${armLabels[b]}`, pairRatios(rounds, scenario.name, a, b)]));
    }
    const targets = benchTargets(ratios, summary, options.connections[0]!, options.connections.at(-1)!);
    const output = {
      ...facts,
      loadAverageAtEnd: loadavg().map((value) => Math.round(value * 100) / 100),
      options: { ...options, outDir: undefined },
      arms: Object.fromEntries(bench.arms.map((arm) => [arm.id, { label: arm.label, description: arm.description }])),
      gateway: bench.gatewayConfig,
      summary,
      ratios,
      targets,
      errors,
      errorSamples: [...errorSamples],
      flagged: errors > 0,
      rounds,
    };
    writeFileSync(join(options.outDir, 'latest.json'), `${JSON.stringify(output, null, 2)}\n`);
    writeFileSync(join(options.outDir, 'latency.svg'), latencyChart(`Latency, ${options.provider}, ${facts.date.slice(0, 16)}Z (medians of ${options.rounds} round${options.rounds === 1 ? '' : 's'})`, summary, armLabels));

    const lines = [
      '',
      `${facts.date}  node ${facts.node}  ${facts.cpus}× ${facts.cpu}  load average ${facts.loadAverageAtStart.join(' ')} → ${output.loadAverageAtEnd.join(' ')}`,
      `pinning: ${facts.pinning}; CPU time from /proc at ${facts.clockTicks}`,
      `provider ${options.provider}; ${options.rounds} rounds × ${options.durationS} s (+${options.settleS} s settle), warm-up ${options.warmupS} s; gateway: ${Object.entries(bench.gatewayConfig).filter(([key]) => !key.endsWith('_URL')).map(([key, value]) => `${key}=${value}`).join(', ')}`,
      ...bench.arms.map((arm) => `  ${arm.label.padEnd(5)} ${arm.description}`),
      '',
      ...formatTable(summary, armLabels),
      'CPU: the subject\'s CPU time ÷ wall time (100% = one core); load: the same for the load side (generator, and',
      'the sandbox unless it is the subject) on the other core; RSS: peak resident set (VmHWM). Medians of rounds.',
      '',
      'ratios (median of per-round ratios)',
      ...formatRatios(ratios),
      '',
      'targets',
      ...formatTargets(targets),
      ...workerNote(bench, summary),
      '',
      errors > 0 ? `FLAGGED: ${errors} request errors, e.g. ${[...errorSamples].slice(0, 3).join('; ')}` : 'no request errors',
      `results: ${join(options.outDir, 'latest.json')}, chart: ${join(options.outDir, 'latency.svg')}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return errors > 0 ? 3 : 0;
  } finally {
    await bench.stop();
  }
}

/** With --workers: how many processes G×N really had (WEB_CONCURRENCY may not be honoured yet). */
function workerNote(bench: BenchProcesses, summary: Record<string, Record<string, ArmSummary>>): string[] {
  const multi = bench.arms.find((arm) => arm.kind === 'graphql' && arm.id !== 'G' && arm.id !== 'B');
  if (!multi) return [];
  const processes = Math.max(...Object.values(summary).map((arms) => arms[multi.id]?.processes ?? 0));
  return [
    '',
    `${multi.label}: ${processes} process${processes === 1 ? '' : 'es'} observed${processes === 1 ? ' (WEB_CONCURRENCY was not honoured: this build runs one process)' : ''}; ` +
      `${multi.label}/G above compares it with one worker.`,
  ];
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  mkdirSync(options.outDir, { recursive: true });
  const pinning = detectPinning(!options.pin);
  repin(pinning, process.pid, pinning.otherCpus);
  const hz = clockTicksPerSecond();
  if (options.callgrindS > 0) return runCallgrind(options, pinning, hz);
  return options.soakS > 0 ? runSoak(options, pinning, hz) : runBenchmark(options, pinning, hz);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
    if (error instanceof Error && /must be|Unknown option|unexpected argument/i.test(error.message)) process.stderr.write(`${USAGE}\n`);
    process.exit(1);
  },
);
