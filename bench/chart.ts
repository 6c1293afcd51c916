/**
 * Hand-written SVG charts (no dependency): the latency chart of a benchmark run (one panel
 * per scenario, a bar to p50 and a whisker on to p99 per arm, medians across rounds, each
 * panel on its own linear scale) and the RSS-over-time chart of a soak.
 */
import type { ArmId, ArmSummary, ScenarioName } from './report.js';

const COLORS = ['#6b7280', '#2563eb', '#dc2626', '#d97706', '#059669'];
const FONT = 'font-family="system-ui, sans-serif" font-size="12"';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fixed = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '0');
/** A latency label: one decimal below a millisecond, whole microseconds above. */
const us = (value: number) => (value < 1000 ? value.toFixed(1) : Math.round(value).toString());

export function latencyChart(title: string, summary: Record<ScenarioName, Record<ArmId, ArmSummary>>, armLabels: Record<ArmId, string>): string {
  const width = 900;
  const left = 110;
  const right = 230;
  const plot = width - left - right;
  const rowHeight = 24;
  const parts: string[] = [];
  let y = 40;
  parts.push(`<text x="${width / 2}" y="22" text-anchor="middle" font-weight="bold" ${FONT}>${escape(title)}</text>`);
  for (const [scenario, arms] of Object.entries(summary)) {
    const entries = Object.entries(arms);
    const max = Math.max(1, ...entries.map(([, s]) => s.p99Us)) * 1.05;
    const x = (us: number) => left + (plot * us) / max;
    parts.push(`<text x="8" y="${y + 14}" font-weight="bold" ${FONT}>${escape(scenario)}</text>`);
    y += 22;
    entries.forEach(([arm, s], i) => {
      const color = COLORS[i % COLORS.length]!;
      const middle = y + rowHeight / 2 - 2;
      parts.push(
        `<text x="${left - 8}" y="${middle + 4}" text-anchor="end" ${FONT}>${escape(armLabels[arm] ?? arm)}</text>`,
        `<rect x="${left}" y="${y + 2}" width="${fixed(x(s.p50Us) - left)}" height="${rowHeight - 8}" fill="${color}" opacity="0.8"/>`,
        `<line x1="${fixed(x(s.p50Us))}" y1="${middle}" x2="${fixed(x(s.p99Us))}" y2="${middle}" stroke="${color}" stroke-width="2"/>`,
        `<line x1="${fixed(x(s.p99Us))}" y1="${y + 4}" x2="${fixed(x(s.p99Us))}" y2="${y + rowHeight - 8}" stroke="${color}" stroke-width="2"/>`,
        `<text x="${left + plot + 10}" y="${middle + 4}" ${FONT}>p50 ${us(s.p50Us)} µs · p99 ${us(s.p99Us)} µs</text>`,
      );
      y += rowHeight;
    });
    parts.push(`<text x="${left + plot}" y="${y + 10}" text-anchor="end" fill="#6b7280" ${FONT}>0 … ${Math.round(max)} µs</text>`);
    y += 24;
  }
  parts.push(`<text x="8" y="${y + 4}" fill="#6b7280" ${FONT}>Bar: p50; whisker: p50 to p99. Medians across rounds.</text>`);
  return svg(width, y + 16, parts);
}

/** RSS samples over time, with the 150 MB line. */
export function rssChart(title: string, samples: readonly { readonly seconds: number; readonly rssMb: number }[], limitMb: number): string {
  const width = 900;
  const height = 360;
  const left = 60;
  const top = 40;
  const plotW = width - left - 20;
  const plotH = height - top - 50;
  const maxT = Math.max(1, ...samples.map((s) => s.seconds));
  const maxY = Math.max(limitMb, ...samples.map((s) => s.rssMb)) * 1.1;
  const x = (t: number) => left + (plotW * t) / maxT;
  const y = (mb: number) => top + plotH - (plotH * mb) / maxY;
  const points = samples.map((s) => `${fixed(x(s.seconds))},${fixed(y(s.rssMb))}`).join(' ');
  const parts = [
    `<text x="${width / 2}" y="22" text-anchor="middle" font-weight="bold" ${FONT}>${escape(title)}</text>`,
    `<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" stroke="#111"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#111"/>`,
    `<line x1="${left}" y1="${fixed(y(limitMb))}" x2="${left + plotW}" y2="${fixed(y(limitMb))}" stroke="#dc2626" stroke-dasharray="6 4"/>`,
    `<text x="${left + plotW}" y="${fixed(y(limitMb) - 4)}" text-anchor="end" fill="#dc2626" ${FONT}>${limitMb} MB</text>`,
    `<polyline points="${points}" fill="none" stroke="#2563eb" stroke-width="2"/>`,
    `<text x="${left - 6}" y="${top + 4}" text-anchor="end" ${FONT}>${Math.round(maxY)}</text>`,
    `<text x="${left - 6}" y="${top + plotH}" text-anchor="end" ${FONT}>0</text>`,
    `<text x="${left + plotW}" y="${top + plotH + 18}" text-anchor="end" ${FONT}>${Math.round(maxT)} s</text>`,
    `<text x="${left}" y="${height - 10}" fill="#6b7280" ${FONT}>RSS (MB) of the gateway's processes under load, sampled every few seconds</text>`,
  ];
  return svg(width, height, parts);
}

function svg(width: number, height: number, parts: readonly string[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">\n<rect width="100%" height="100%" fill="#fff"/>\n${parts.join('\n')}\n</svg>\n`;
}
