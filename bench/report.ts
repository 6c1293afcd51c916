/**
 * From per-round measurements to what the benchmark reports: medians across rounds, the
 * median of per-round ratios (each ratio compares arms measured minutes apart at most, so
 * drift of a shared machine cancels better than in a ratio of medians), the issue's targets
 * with PASS/MISS, and the compact table printed at the end.
 */
import { cpus, loadavg } from 'node:os';
import type { LoadResult } from './load.js';
import type { Pinning } from './processes.js';

export type ArmId = string;
export type ScenarioName = string;

export interface Measurement extends LoadResult {
  /** Subject CPU (all its processes) per counted request, µs. */
  readonly cpuUsPerRequest: number;
  /** Subject CPU time ÷ wall time over the window: 1.0 = one core busy. */
  readonly cpuUtilization: number;
  /** The same for the load side (load generator, and the sandbox unless it is the subject). */
  readonly loadSideUtilization: number;
  /** Peak resident set (VmHWM) of the subject's processes so far, MB. */
  readonly peakRssMb: number;
  /** How many processes the subject had. */
  readonly processes: number;
}

export type RoundResults = Record<ScenarioName, Record<ArmId, Measurement>>;

export interface ArmSummary {
  readonly throughput: number;
  readonly p50Us: number;
  readonly p90Us: number;
  readonly p99Us: number;
  readonly cpuUsPerRequest: number;
  readonly cpuUtilization: number;
  readonly loadSideUtilization: number;
  readonly peakRssMb: number;
  readonly processes: number;
  readonly requests: number;
  readonly errors: number;
}

export interface PairRatios {
  /** Throughput of the first arm ÷ the second's. */
  readonly throughput: number;
  readonly cpuPerRequest: number;
  readonly p50: number;
  readonly p99: number;
}

export interface Target {
  readonly name: string;
  readonly value: number | null;
  readonly limit: number;
  readonly comparison: '≥' | '≤';
  readonly unit: string;
  /** null: not measured by this run. */
  readonly pass: boolean | null;
  readonly note?: string;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

export function summarize(rounds: readonly RoundResults[], scenario: ScenarioName, arm: ArmId): ArmSummary {
  const all = rounds.map((results) => results[scenario]?.[arm]).filter((m): m is Measurement => m !== undefined);
  const med = (pick: (m: Measurement) => number, digits = 1) => round(median(all.map(pick)), digits);
  return {
    throughput: med((m) => m.throughput, 0),
    p50Us: med((m) => m.latencyUs.p50),
    p90Us: med((m) => m.latencyUs.p90),
    p99Us: med((m) => m.latencyUs.p99),
    cpuUsPerRequest: med((m) => m.cpuUsPerRequest),
    cpuUtilization: med((m) => m.cpuUtilization, 2),
    loadSideUtilization: med((m) => m.loadSideUtilization, 2),
    peakRssMb: round(Math.max(...all.map((m) => m.peakRssMb)), 1),
    processes: Math.max(...all.map((m) => m.processes)),
    requests: all.reduce((sum, m) => sum + m.requests, 0),
    errors: all.reduce((sum, m) => sum + m.errors, 0),
  };
}

/** Medians of per-round ratios of arm `a` to arm `b`. */
export function pairRatios(rounds: readonly RoundResults[], scenario: ScenarioName, a: ArmId, b: ArmId): PairRatios {
  const pairs = rounds.map((results) => [results[scenario]?.[a], results[scenario]?.[b]] as const).filter(([x, y]) => x && y) as [Measurement, Measurement][];
  const ratio = (pick: (m: Measurement) => number) => round(median(pairs.map(([x, y]) => pick(x) / pick(y))), 3);
  return {
    throughput: ratio((m) => m.throughput),
    cpuPerRequest: ratio((m) => m.cpuUsPerRequest),
    p50: ratio((m) => m.latencyUs.p50),
    p99: ratio((m) => m.latencyUs.p99),
  };
}

export const scenarioName = (op: string, connections: number): ScenarioName => `${op}@${connections}`;

function target(name: string, value: number | null, comparison: '≥' | '≤', limit: number, unit = '', note?: string): Target {
  const pass = value === null || Number.isNaN(value) ? null : comparison === '≥' ? value >= limit : value <= limit;
  return { name, value, limit, comparison, unit, pass, ...(note ? { note } : {}) };
}

/**
 * The issue's targets. Throughput is judged at every connection count measured, the lowest
 * and the highest: the issue asks for G/P ≥ 0.8 for the read and the cancel without naming
 * one. (At one connection throughput is nearly 1/latency, so it moves with the p50 target;
 * at the highest, P may be capped by the load side, which the note says.)
 */
export function benchTargets(ratios: Record<ScenarioName, Record<string, PairRatios>>, summary: Record<ScenarioName, Record<ArmId, ArmSummary>>, low: number, high: number): Target[] {
  const gp = (scenario: ScenarioName) => ratios[scenario]?.['G/P'];
  const targets: Target[] = [];
  for (const connections of low === high ? [low] : [low, high]) {
    for (const op of ['read', 'cancel']) {
      const scenario = scenarioName(op, connections);
      // At one connection nobody is CPU-bound: the note on saturation is for more.
      const note = connections > 1 ? saturationNote(summary[scenario]?.['P'], gp(scenario)) : undefined;
      targets.push(target(`throughput G/P, ${scenario}`, gp(scenario)?.throughput ?? null, '≥', 0.8, '', note));
    }
  }
  for (const op of ['read', 'cancel']) targets.push(target(`p50(G)/p50(P), ${scenarioName(op, low)}`, gp(scenarioName(op, low))?.p50 ?? null, '≤', 1.25));
  for (const op of ['read', 'cancel']) targets.push(target(`p99(G)/p99(P), ${scenarioName(op, high)}`, gp(scenarioName(op, high))?.p99 ?? null, '≤', 1.5));
  const rss = Math.max(...Object.values(summary).map((arms) => arms['G']?.peakRssMb ?? 0));
  targets.push(target('G peak RSS (VmHWM) over the run', rss, '≤', 150, ' MB'));
  targets.push(target('G RSS growth over five minutes', null, '≤', 10, ' MB', 'not measured here: npm run bench -- --soak 300'));
  return targets;
}

/**
 * Throughput compares servers only when both were the bottleneck. When P was not (its CPU
 * below 90 %: the load side could not drive it harder), say so, with the ratio that does not
 * depend on the load side: capacity per core, the inverse of the CPU-per-request ratio.
 */
function saturationNote(proxy: ArmSummary | undefined, ratios: PairRatios | undefined): string | undefined {
  if (!proxy || !ratios || proxy.cpuUtilization >= 0.9) return undefined;
  return `P was ${Math.round(proxy.cpuUtilization * 100)}% busy (load side ${Math.round(proxy.loadSideUtilization * 100)}%): not CPU-bound; per core, G/P = ${round(1 / ratios.cpuPerRequest, 2)}`;
}

export function formatTargets(targets: readonly Target[]): string[] {
  return targets.map((t) => {
    const value = t.value === null ? '—' : `${round(t.value, 3)}${t.unit}`;
    const verdict = t.pass === null ? '    ' : t.pass ? 'PASS' : 'MISS';
    return `  ${verdict}  ${t.name.padEnd(40)} ${value.padStart(10)}  (target ${t.comparison} ${t.limit}${t.unit})${t.note ? `  ${t.note}` : ''}`;
  });
}

const cell = (value: number | string, width: number) => String(value).padStart(width);

export function formatTable(summary: Record<ScenarioName, Record<ArmId, ArmSummary>>, armLabels: Record<ArmId, string>): string[] {
  const lines = [
    `${'scenario'.padEnd(11)}${'arm'.padEnd(8)}${cell('req/s', 8)}${cell('p50 µs', 9)}${cell('p90 µs', 9)}${cell('p99 µs', 9)}${cell('CPU µs/req', 11)}${cell('CPU', 6)}${cell('load', 6)}${cell('RSS MB', 8)}${cell('errors', 7)}`,
  ];
  for (const [scenario, arms] of Object.entries(summary)) {
    for (const [arm, s] of Object.entries(arms)) {
      lines.push(
        `${scenario.padEnd(11)}${(armLabels[arm] ?? arm).padEnd(8)}${cell(s.throughput, 8)}${cell(s.p50Us, 9)}${cell(s.p90Us, 9)}${cell(s.p99Us, 9)}` +
          `${cell(s.cpuUsPerRequest, 11)}${cell(`${Math.round(s.cpuUtilization * 100)}%`, 6)}${cell(`${Math.round(s.loadSideUtilization * 100)}%`, 6)}${cell(s.peakRssMb, 8)}${cell(s.errors, 7)}`,
      );
    }
  }
  return lines;
}

export function formatRatios(ratios: Record<ScenarioName, Record<string, PairRatios>>): string[] {
  const lines = [`${'scenario'.padEnd(11)}${'pair'.padEnd(8)}${cell('throughput', 11)}${cell('CPU/req', 9)}${cell('p50', 7)}${cell('p99', 7)}`];
  for (const [scenario, pairs] of Object.entries(ratios)) {
    for (const [pair, r] of Object.entries(pairs)) {
      lines.push(`${scenario.padEnd(11)}${pair.padEnd(8)}${cell(r.throughput.toFixed(2), 11)}${cell(r.cpuPerRequest.toFixed(2), 9)}${cell(r.p50.toFixed(2), 7)}${cell(r.p99.toFixed(2), 7)}`);
    }
  }
  return lines;
}

/** Where and when a run happened: the first lines of every report. */
export function machineFacts(pinning: Pinning, hz: { hz: number; source: string }) {
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cpus: cpus().length,
    loadAverageAtStart: loadavg().map((value) => Math.round(value * 100) / 100),
    pinning: pinning.note,
    clockTicks: `${hz.hz}/s (${hz.source})`,
  };
}
