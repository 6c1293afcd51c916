/**
 * Prometheus metrics (prom-client): GraphQL requests by operation and outcome with latency,
 * provider calls by provider, operation and outcome with latency, and each provider's
 * circuit breaker state. Served at /metrics.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { PaymentProviderName } from '../domain/payment.js';
import type { BreakerState } from '../providers/breaker.js';
import { LabelledHistogram } from './histogram.js';

export interface ProviderCallEvent {
  readonly provider: PaymentProviderName;
  readonly method: string;
  /** `2xx`, `4xx`, `5xx`, or a transport failure (`timeout`, `connection`, `circuit_open`...). */
  readonly outcome: string;
  readonly seconds: number;
}

export interface GatewayMetrics {
  readonly registry: Registry;
  observeProviderCall(event: ProviderCallEvent): void;
  /** Apollo plugin timing every GraphQL request. */
  plugin(): ApolloServerPlugin;
  /** Times one GraphQL request answered outside Apollo (the lean path). */
  observeRequest(event: { readonly operationName: string | null; readonly type: string; readonly errors: readonly { readonly extensions?: Record<string, unknown> | undefined }[]; readonly seconds: number }): void;
  /** Reports breaker states at scrape time. */
  watchBreakers(states: () => Record<string, BreakerState>): void;
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

/** `ok`, or the first error's code. */
function outcomeOf(errors: readonly { readonly extensions?: Record<string, unknown> | undefined }[] | undefined): string {
  if (!errors || errors.length === 0) return 'ok';
  const code = errors[0]?.extensions?.['code'];
  return typeof code === 'string' ? code : 'error';
}

/** Operation names come from callers: keep the label set small and safe. */
function operationLabel(name: string | null | undefined): string {
  return name && /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name) ? name : 'anonymous';
}

export function createMetrics(): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'gateway_' });
  // Observed on every request: a lighter histogram than prom-client's (./histogram.ts).
  const requests = new LabelledHistogram(
    'gateway_graphql_request_duration_seconds',
    'GraphQL requests by operation name, type and outcome (ok, or the first error code).',
    ['operation', 'type', 'outcome'],
    LATENCY_BUCKETS,
    registry,
  );
  const providerCalls = new LabelledHistogram(
    'gateway_provider_call_duration_seconds',
    'Calls to payment providers (every attempt) by provider, HTTP method and outcome.',
    ['provider', 'method', 'outcome'],
    LATENCY_BUCKETS,
    registry,
  );
  let breakerStates: () => Record<string, BreakerState> = () => ({});
  new Gauge({
    name: 'gateway_provider_breaker_state',
    help: 'Circuit breaker per provider: 0 closed, 1 half-open, 2 open.',
    labelNames: ['provider'],
    registers: [registry],
    collect() {
      for (const [provider, state] of Object.entries(breakerStates())) this.set({ provider }, BREAKER_VALUE[state]);
    },
  });

  return {
    registry,
    observeRequest: (event) => requests.observe(operationLabel(event.operationName), event.type, outcomeOf(event.errors), event.seconds),
    observeProviderCall: (event) => providerCalls.observe(event.provider, event.method, event.outcome, event.seconds),
    watchBreakers(states) {
      breakerStates = states;
    },
    plugin: () => ({
      async requestDidStart() {
        const started = performance.now();
        let operation = 'anonymous';
        let type = 'unknown';
        return {
          async didResolveOperation({ operationName, operation: definition }) {
            operation = operationLabel(operationName);
            type = definition?.operation ?? 'unknown';
          },
          async willSendResponse({ response }) {
            const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
            requests.observe(operation, type, outcomeOf(errors), (performance.now() - started) / 1000);
          },
        };
      },
    }),
  };
}
