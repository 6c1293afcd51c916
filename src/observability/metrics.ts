/**
 * Prometheus metrics (prom-client): GraphQL requests by operation and outcome with latency,
 * provider calls by provider, operation and outcome with latency, and each provider's
 * circuit breaker state. Served at /metrics.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { PaymentProviderName } from '../domain/payment.js';
import type { BreakerState } from '../providers/http.js';

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
  const requests = new Histogram({
    name: 'gateway_graphql_request_duration_seconds',
    help: 'GraphQL requests by operation name, type and outcome (ok, or the first error code).',
    labelNames: ['operation', 'type', 'outcome'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const providerCalls = new Histogram({
    name: 'gateway_provider_call_duration_seconds',
    help: 'Calls to payment providers (every attempt) by provider, HTTP method and outcome.',
    labelNames: ['provider', 'method', 'outcome'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
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
    // Label objects straight to prom-client: its children hash their labels on every
    // observation too, so caching children saved nothing (measured: 0.48 vs 0.45 µs).
    observeRequest: (event) => requests.observe({ operation: operationLabel(event.operationName), type: event.type, outcome: outcomeOf(event.errors) }, event.seconds),
    observeProviderCall: (event) => providerCalls.observe({ provider: event.provider, method: event.method, outcome: event.outcome }, event.seconds),
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
            requests.observe({ operation, type, outcome: outcomeOf(errors) }, (performance.now() - started) / 1000);
          },
        };
      },
    }),
  };
}
