/** The gateway's light histogram against prom-client's own: the same observations, the same exposition. */
import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LabelledHistogram } from '../../src/observability/histogram.js';

const BUCKETS = [0.001, 0.005, 0.1, 1];
const LABELS = ['provider', 'method', 'outcome'] as const;

function pair() {
  const ours = new Registry();
  const theirs = new Registry();
  const light = new LabelledHistogram('calls_seconds', 'Calls.', [...LABELS], BUCKETS, ours);
  const reference = new Histogram({ name: 'calls_seconds', help: 'Calls.', labelNames: LABELS, buckets: BUCKETS, registers: [theirs] });
  const observe = (provider: string, method: string, outcome: string, value: number) => {
    light.observe(provider, method, outcome, value);
    reference.observe({ provider, method, outcome }, value);
  };
  return { ours, theirs, light, reference, observe };
}

describe('LabelledHistogram', () => {
  it('writes what prom-client writes for the same observations: on and between bounds, above all, several series, label values needing escapes', async () => {
    const { ours, theirs, observe } = pair();
    const values = [0, 0.0005, 0.001, 0.0010001, 0.005, 0.05, 0.1, 0.7, 1, 1.5, 99];
    values.forEach((value, i) => observe('PRIMER', 'GET', i % 3 === 0 ? '2xx' : '5xx', value));
    observe('HMAC', 'POST', 'timeout', 0.2);
    // Series are listed in the order first observed, not grouped by their first label.
    observe('PRIMER', 'POST', '2xx', 0.2);
    observe('HMAC', 'POST', 'with "quotes" \\ and\nnewline', 0.003);
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.getMetricsAsJSON()).toEqual(await theirs.getMetricsAsJSON());
    expect(await ours.metrics()).toMatch(/^calls_seconds_bucket\{le="0\.005",provider="PRIMER",method="GET",outcome="2xx"\} 2$/m);
  });

  it('is empty until observed and after a reset, like prom-client', async () => {
    const { ours, theirs, reference, observe } = pair();
    expect(await ours.metrics()).toBe(await theirs.metrics());
    observe('PRIMER', 'GET', '2xx', 0.01);
    ours.resetMetrics();
    reference.reset();
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });

  it('ignores a value that is not a finite number (prom-client would throw inside a request)', async () => {
    const { ours, light } = pair();
    light.observe('PRIMER', 'GET', '2xx', Number.NaN);
    light.observe('PRIMER', 'GET', '2xx', Number.POSITIVE_INFINITY);
    expect(await ours.metrics()).not.toMatch(/_count/);
  });

  it('refuses buckets that are not finite and increasing', () => {
    expect(() => new LabelledHistogram('x', 'x', [...LABELS], [0.1, 0.1], new Registry())).toThrow(/increasing/);
    expect(() => new LabelledHistogram('x', 'x', [...LABELS], [1, Number.POSITIVE_INFINITY], new Registry())).toThrow(/finite/);
  });
});
