/**
 * A Prometheus histogram with three fixed labels, for the two observed on every request.
 *
 * prom-client's Histogram checks the label names, builds a key string from the label object
 * and reads its bucket through a number-keyed property on every observation (about 1 µs, two
 * per request). Here an observation finds its series through three Maps keyed by label values
 * that are the same strings request after request (so their hashes are already computed),
 * and adds to a typed array. The metric is registered in prom-client's Registry like any of
 * its own (the Registry asks only for a name, help, type, `get`, `reset`), which writes it in
 * the same exposition format: `_bucket` lines cumulative with `le` first, then `+Inf`,
 * `_sum` and `_count`.
 */
import type { Registry } from 'prom-client';

interface Series {
  readonly labels: Readonly<Record<string, string>>;
  /** Observations per bucket (not cumulative); the last slot counts those above every bound. */
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

interface Value {
  readonly labels: Record<string, string | number>;
  readonly sharedLabels?: Readonly<Record<string, string>>;
  readonly value: number;
  readonly metricName: string;
  /** prom-client gives bucket values one (null without exemplars). */
  readonly exemplar?: null;
}

/** What prom-client's Registry reads of a metric. */
interface Snapshot {
  readonly name: string;
  readonly help: string;
  readonly type: 'histogram';
  readonly values: Value[];
  readonly aggregator: 'sum';
}

export class LabelledHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, Map<string, Map<string, Series>>>();
  /** Every series in the order first observed, as prom-client lists them. */
  private ordered: Series[] = [];

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly [string, string, string],
    private readonly buckets: readonly number[],
    registry: Registry,
  ) {
    if (buckets.some((bound, i) => !Number.isFinite(bound) || (i > 0 && bound <= buckets[i - 1]!))) {
      throw new Error(`${name}: buckets must be finite and increasing`);
    }
    registry.registerMetric(this as never);
  }

  observe(first: string, second: string, third: string, value: number): void {
    if (!Number.isFinite(value)) return;
    let level2 = this.series.get(first);
    if (level2 === undefined) this.series.set(first, (level2 = new Map()));
    let level3 = level2.get(second);
    if (level3 === undefined) level2.set(second, (level3 = new Map()));
    let series = level3.get(third);
    if (series === undefined) {
      const [a, b, c] = this.labelNames;
      series = { labels: { [a]: first, [b]: second, [c]: third }, counts: new Float64Array(this.buckets.length + 1), sum: 0, count: 0 };
      level3.set(third, series);
      this.ordered.push(series);
    }
    const buckets = this.buckets;
    let i = 0;
    while (i < buckets.length && value > buckets[i]!) i += 1;
    series.counts[i]! += 1;
    series.sum += value;
    series.count += 1;
  }

  reset(): void {
    this.series.clear();
    this.ordered = [];
  }

  /** As prom-client's metrics give it to the Registry for the text format: series labels as `sharedLabels`. */
  async getForPromString(): Promise<Snapshot> {
    return this.snapshot((labels, own) => ({ labels: own, sharedLabels: labels }));
  }

  /** As prom-client's `get()`: every value with all its labels. */
  async get(): Promise<Snapshot> {
    return this.snapshot((labels, own) => ({ labels: { ...own, ...labels } }));
  }

  private snapshot(labelled: (labels: Readonly<Record<string, string>>, own: Record<string, string | number>) => Pick<Value, 'labels' | 'sharedLabels'>): Snapshot {
    const values: Value[] = [];
    for (const series of this.ordered) {
      let cumulative = 0;
      this.buckets.forEach((bound, i) => {
        cumulative += series.counts[i]!;
        values.push({ ...labelled(series.labels, { le: bound }), value: cumulative, metricName: `${this.name}_bucket`, exemplar: null });
      });
      values.push({ ...labelled(series.labels, { le: '+Inf' }), value: series.count, metricName: `${this.name}_bucket`, exemplar: null });
      values.push({ ...labelled(series.labels, {}), value: series.sum, metricName: `${this.name}_sum` });
      values.push({ ...labelled(series.labels, {}), value: series.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}
