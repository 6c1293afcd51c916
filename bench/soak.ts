/**
 * `npm run bench -- --soak 300`: does the gateway's memory stay bounded under sustained load?
 *
 * G alone (pinned like in the benchmark; G×N with `--workers N`) takes the mixed load
 * (reads and cancels alternating, every cancel with a fresh payment and idempotency key) at
 * the highest connection count for the whole soak, while the harness samples the resident
 * set (VmRSS, all the gateway's processes) every `--soak-interval` seconds.
 *
 * Verdicts: peak RSS (VmHWM) ≤ 150 MB, and growth ≤ 10 MB, growth being the median of the
 * samples in the last window minus the median in the first window after a settle period
 * (the first fifth of the soak, 30 s at most; windows of 60 s, or a quarter of what remains
 * when shorter). Medians, because a collector's sawtooth is not growth. Note that the
 * gateway's in-memory idempotency ledger keeps up to 20 000 outcomes by design
 * (DEFAULT_MAX_ENTRIES): until it is full, every cancel adds to the heap, and a soak shows it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBenchProcesses } from './arms.js';
import { rssChart } from './chart.js';
import type { BenchOptions } from './options.js';
import { peakRssMb, rssMb } from './procfs.js';
import type { Pinning } from './processes.js';
import { formatTargets, machineFacts, median, type Target } from './report.js';

const RSS_LIMIT_MB = 150;
const GROWTH_LIMIT_MB = 10;

export async function runSoak(options: BenchOptions, pinning: Pinning, hz: { hz: number; source: string }): Promise<number> {
  const facts = machineFacts(pinning, hz);
  const bench = await startBenchProcesses(options, pinning, { soak: true });
  try {
    const gateway = bench.arms.at(-1)!;
    const connections = options.connections.at(-1)!;
    const settleS = Math.min(30, options.soakS / 5);
    const windowS = Math.min(60, (options.soakS - settleS) / 4);
    const samples: { seconds: number; rssMb: number }[] = [];
    const startedAt = Date.now();
    const sample = () => samples.push({ seconds: Math.round((Date.now() - startedAt) / 100) / 10, rssMb: Math.round(rssMb(gateway.pids()) * 10) / 10 });
    sample();
    const timer = setInterval(sample, options.soakIntervalS * 1000);
    process.stderr.write(`soak: ${gateway.label}, mixed read/cancel at ${connections} connections for ${options.soakS} s, RSS every ${options.soakIntervalS} s\n`);
    const result = await bench
      .runLoad({
        origin: gateway.origin,
        kind: gateway.kind,
        provider: options.provider,
        op: 'mixed',
        connections,
        warmupMs: settleS * 1000,
        durationMs: (options.soakS - settleS) * 1000,
        subjectPids: gateway.pids(),
        loadSidePids: gateway.loadSidePids,
        hz: hz.hz,
      })
      .finally(() => clearInterval(timer));
    sample();

    const between = (from: number, to: number) => samples.filter((s) => s.seconds >= from && s.seconds <= to).map((s) => s.rssMb);
    const first = Math.round(median(between(settleS, settleS + windowS)) * 10) / 10;
    const last = Math.round(median(between(options.soakS - windowS, Infinity)) * 10) / 10;
    const growth = Math.round((last - first) * 10) / 10;
    const peak = Math.round(peakRssMb(gateway.pids()) * 10) / 10;
    const verdict = (name: string, value: number, limit: number): Target => ({ name, value, limit, comparison: '≤', unit: ' MB', pass: Number.isNaN(value) ? null : value <= limit });
    const targets = [
      verdict(`${gateway.label} peak RSS (VmHWM) under load`, peak, RSS_LIMIT_MB),
      verdict(`${gateway.label} RSS growth (last ${windowS} s vs first ${windowS} s after ${settleS} s)`, growth, GROWTH_LIMIT_MB),
    ];
    const output = { ...facts, options: { ...options, outDir: undefined }, gateway: bench.gatewayConfig, load: result, firstWindowMb: first, lastWindowMb: last, targets, samples, flagged: result.errors > 0 };
    writeFileSync(join(options.outDir, 'soak.json'), `${JSON.stringify(output, null, 2)}\n`);
    writeFileSync(join(options.outDir, 'rss.svg'), rssChart(`${gateway.label} RSS under mixed load, ${connections} connections, ${facts.date.slice(0, 16)}Z`, samples, RSS_LIMIT_MB));
    const lines = [
      '',
      `${facts.date}  node ${facts.node}  pinning: ${facts.pinning}`,
      `${Math.round(result.throughput)} req/s, p50 ${result.latencyUs.p50} µs, p99 ${result.latencyUs.p99} µs; RSS first window ${first} MB, last window ${last} MB`,
      ...formatTargets(targets),
      result.errors > 0 ? `FLAGGED: ${result.errors} request errors, e.g. ${result.errorSamples.join('; ')}` : 'no request errors',
      `results: ${join(options.outDir, 'soak.json')}, chart: ${join(options.outDir, 'rss.svg')}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return result.errors > 0 ? 3 : 0;
  } finally {
    await bench.stop();
  }
}
