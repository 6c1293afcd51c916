/**
 * Operations endpoints, outside GraphQL and without credentials (keep them off the public
 * network): /healthz (the process is up), /readyz (can it serve: providers' breakers and
 * Redis when configured), /metrics (Prometheus).
 */
import type { FastifyInstance } from 'fastify';
import type { IdempotencyLedger } from './idempotency/ledger.js';
import type { GatewayMetrics } from './observability/metrics.js';
import type { ProviderRegistry } from './providers/registry.js';

export interface OperationsOptions {
  readonly registry: ProviderRegistry;
  readonly ledger: IdempotencyLedger;
  readonly metrics: GatewayMetrics;
}

export function registerOperationsRoutes(app: FastifyInstance, options: OperationsOptions): void {
  const { registry, ledger, metrics } = options;
  metrics.watchBreakers(() => Object.fromEntries(Object.entries(registry).map(([name, provider]) => [name, provider.breakerState()])));

  app.get('/healthz', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    // The pid tells an operator (and a test) which worker of a cluster answered.
    return { status: 'ok', pid: process.pid };
  });

  // Ready unless every provider's breaker is open or the shared store is unreachable; one
  // provider failing fast leaves the other served, so that is `degraded`, still ready.
  app.get('/readyz', async (_request, reply) => {
    const providers = Object.fromEntries(Object.entries(registry).map(([name, provider]) => [name, { breaker: provider.breakerState() }]));
    const breakers = Object.values(providers).map((provider) => provider.breaker);
    const ledgerHealthy = await ledger.healthy();
    const ready = ledgerHealthy && breakers.some((state) => state !== 'open');
    const degraded = breakers.some((state) => state !== 'closed');
    reply.code(ready ? 200 : 503).header('cache-control', 'no-store');
    return { status: ready ? (degraded ? 'degraded' : 'ready') : 'unavailable', providers, idempotencyLedger: ledgerHealthy ? 'ok' : 'unreachable' };
  });

  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType).header('cache-control', 'no-store');
    return metrics.registry.metrics();
  });
}
