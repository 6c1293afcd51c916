/**
 * Start-up: configuration, the embedded sandboxes for every provider that is not configured,
 * the provider registry and the server. `main.ts` wires this to the process.
 */
import type { Logger } from 'pino';
import { createAuthenticator, createDevelopmentKey, hasCredentials } from './auth/index.js';
import { loadConfig, type GatewayConfig } from './config.js';
import { encodeGlobalId } from './domain/global-id.js';
import type { PaymentRef } from './domain/payment.js';
import { Secret } from './domain/secret.js';
import { exampleDocument } from './graphiql/index.js';
import { createMemoryLedger } from './idempotency/memory-ledger.js';
import { createMetrics } from './observability/metrics.js';
import { DEFAULT_TIMEOUTS } from './providers/http.js';
import { createMemoryRateLimiter } from './rate-limit/memory.js';
import { closeProviderRegistry, createProviderRegistry, type ProviderEndpoints } from './providers/registry.js';
import { startGatewayServer, type GatewayServer } from './server.js';

// The sandboxes and the Redis client (with ioredis) are loaded only when the configuration
// uses them: a gateway on real providers without Redis does not keep their code (about 3 MB
// of heap, measured).
const loadSandboxes = () => import('./sandboxes/index.js');
type Sandboxes = Awaited<ReturnType<typeof loadSandboxes>>;

export interface RunningGateway {
  readonly config: GatewayConfig;
  readonly server: GatewayServer;
  /** Human-readable start-up lines: where to send queries, and payment ids to try. */
  readonly banner: string;
  /** The development key created on the sandboxes when no credentials are configured. */
  readonly developmentKey: string | null;
  close(): Promise<void>;
}

const sampleHmac = ({ HMAC_SEED_IDS }: Sandboxes): Array<[string, string]> => [
  ['HMAC, requires_capture, cancellable', HMAC_SEED_IDS.requiresCaptureThb],
  ['HMAC, succeeded, not cancellable', HMAC_SEED_IDS.succeededThb],
];
const samplePrimer = ({ PRIMER_SEED_IDS }: Sandboxes): Array<[string, string]> => [
  ['Primer, AUTHORIZED, cancellable', PRIMER_SEED_IDS.authorizedUsd],
  ['Primer, SETTLED, not cancellable', PRIMER_SEED_IDS.settledUsd],
];

/**
 * What the workers of a cluster share, made once by its primary: the embedded sandboxes (so
 * that every worker sees the same payments) and the development key. Passed to each worker as
 * JSON in its environment (`GATEWAY_WORKER_SETUP`).
 */
export interface SharedSetup {
  readonly hmacSandbox?: { readonly url: string; readonly apiKey: string; readonly apiSecret: string } | undefined;
  readonly primerSandbox?: { readonly url: string; readonly apiKey: string } | undefined;
  readonly developmentKey?: string | undefined;
}

/** Starts the sandboxes the configuration asks for, and a development key when no credentials are configured. */
export async function startSharedSetup(config: GatewayConfig): Promise<{ readonly setup: SharedSetup; close(): Promise<void> }> {
  const closers: Array<() => Promise<void>> = [];
  try {
    const sandboxes = usesSandbox(config) ? await loadSandboxes() : null;
    const hmac = config.hmac.mode === 'sandbox' ? await sandboxes!.createHmacSandbox() : undefined;
    if (hmac) closers.push(() => hmac.close());
    const primer = config.primer.mode === 'sandbox' ? await sandboxes!.createPrimerSandbox() : undefined;
    if (primer) closers.push(() => primer.close());
    return {
      setup: {
        hmacSandbox: hmac && { url: hmac.url, apiKey: hmac.apiKey, apiSecret: hmac.apiSecret },
        primerSandbox: primer && { url: primer.url, apiKey: primer.apiKey },
        developmentKey: hasCredentials(config.auth) ? undefined : createDevelopmentKey().key,
      },
      close: () => closeAll(closers),
    };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}

export async function startGateway(
  env: Readonly<Record<string, string | undefined>>,
  logger: (config: GatewayConfig) => Logger,
  /** What a cluster's primary made for all its workers; by default this process makes its own. */
  shared?: SharedSetup,
): Promise<RunningGateway> {
  const config = loadConfig(env);
  const log = logger(config);
  const closers: Array<() => Promise<void>> = [];
  try {
    let setup = shared;
    if (setup === undefined) {
      const own = await startSharedSetup(config);
      closers.push(() => own.close());
      setup = own.setup;
    }
    const hmacSandbox = setup.hmacSandbox;
    const primerSandbox = setup.primerSandbox;
    if ((config.hmac.mode === 'sandbox' && !hmacSandbox) || (config.primer.mode === 'sandbox' && !primerSandbox)) {
      throw new Error('the shared setup lacks a sandbox this configuration needs');
    }
    const hmac: ProviderEndpoints['hmac'] =
      config.hmac.mode === 'remote'
        ? config.hmac
        : { baseUrl: new URL(hmacSandbox!.url), apiKey: new Secret(hmacSandbox!.apiKey), apiSecret: new Secret(hmacSandbox!.apiSecret) };
    const primer: ProviderEndpoints['primer'] =
      config.primer.mode === 'remote' ? config.primer : { baseUrl: new URL(primerSandbox!.url), apiKey: new Secret(primerSandbox!.apiKey) };

    const deadlineMs = config.providerTimeoutMs;
    const timeouts = { connectMs: Math.min(DEFAULT_TIMEOUTS.connectMs, deadlineMs), headersMs: deadlineMs, bodyMs: deadlineMs, deadlineMs };
    const metrics = createMetrics();
    const resilience = { breakerThreshold: config.breaker.failures, breakerHalfOpenAfterMs: config.breaker.openSeconds * 1000 };
    const registry = createProviderRegistry({ hmac, primer }, { logger: log, timeouts, resilience, onProviderCall: metrics.observeProviderCall });
    closers.unshift(() => closeProviderRegistry(registry));

    const ledgerOptions = {
      ttlMs: config.idempotencyTtlSeconds * 1000,
      // Longer than any cancel can take: the cancel and the read that may follow it.
      claimTtlMs: 2 * deadlineMs + 5_000,
      maxWaitMs: 2 * deadlineMs + 5_000,
    };
    const ledger = config.redisUrl
      ? (await import('./idempotency/redis-ledger.js')).createRedisLedger({ ...ledgerOptions, url: config.redisUrl.reveal() })
      : createMemoryLedger(ledgerOptions);
    closers.unshift(() => ledger.close());

    const rate = { capacity: config.cancelRateLimit.burst, refillPerSecond: config.cancelRateLimit.perMinute / 60 };
    const cancelRateLimiter = config.redisUrl
      ? (await import('./rate-limit/redis.js')).createRedisRateLimiter({
          ...rate,
          url: config.redisUrl.reveal(),
          onRedisError: () => log.warn('rate limiter cannot reach Redis: limiting per process meanwhile'),
        })
      : createMemoryRateLimiter(rate);
    closers.unshift(() => cancelRateLimiter.close());

    // On the sandboxes with no credentials configured, a development key with every scope.
    // (With a real provider, loadConfig already refused to start without credentials.)
    let auth = config.auth;
    let developmentKey: string | null = null;
    if (!hasCredentials(auth)) {
      const development = createDevelopmentKey(setup.developmentKey);
      auth = { ...auth, apiKeys: [development.entry] };
      developmentKey = development.key;
    }
    const authenticator = await createAuthenticator(auth, {
      onVerifierError: () => log.warn('a JWT could not be verified: the JWKS is unreachable or unreadable'),
    });

    const sandboxes = usesSandbox(config) ? await loadSandboxes() : null;
    const server = await startGatewayServer({
      registry,
      ledger,
      cancelRateLimiter,
      authenticator,
      metrics,
      logger: log,
      host: config.host,
      port: config.port,
      introspection: config.introspection,
      limits: config.limits,
      trustedDocuments: config.trustedDocuments ?? undefined,
      graphiql: config.graphiql && {
        // The development key only, and only to a browser on this machine: a configured key
        // is never written into a page, and the development key never crosses the network.
        defaultHeaders: developmentKey && isLoopback(config.host) ? { Authorization: `Bearer ${developmentKey}` } : undefined,
        defaultDocument: exampleDocument(sandboxes ? cancellableSampleId(config, sandboxes) : undefined),
      },
    });
    closers.unshift(() => server.close());

    const samples = [
      ...(config.hmac.mode === 'sandbox' ? sampleHmac(sandboxes!).map(([label, id]) => sample(label, { provider: 'HMAC', providerPaymentId: id })) : []),
      ...(config.primer.mode === 'sandbox' ? samplePrimer(sandboxes!).map(([label, id]) => sample(label, { provider: 'PRIMER', providerPaymentId: id })) : []),
    ];
    const banner = [
      `Payments gateway ready: GraphQL at ${server.graphqlUrl}`,
      ...(config.graphiql ? [`GraphiQL: ${server.url}/graphiql`] : []),
      `HMAC provider: ${config.hmac.mode === 'sandbox' ? `embedded sandbox at ${hmac.baseUrl.origin}` : hmac.baseUrl.origin}`,
      `Primer: ${config.primer.mode === 'sandbox' ? `embedded sandbox at ${primer.baseUrl.origin}` : primer.baseUrl.origin}`,
      `Idempotency keys and cancel rate limits: ${config.redisUrl ? 'shared in Redis' : 'in memory (this process only)'}`,
      ...(config.trustedDocuments ? [`Trusted documents only: ${config.trustedDocuments.size} from ${config.trustedDocuments.path}`] : []),
      ...(developmentKey ? [`Development API key (every scope, sandboxes only): ${developmentKey}`, `  send it as the header  Authorization: Bearer ${developmentKey}`] : []),
      ...(samples.length > 0 ? ['Payments to try (global ids):', ...samples] : []),
    ].join('\n');

    return {
      config,
      server,
      banner,
      developmentKey,
      close: () => closeAll(closers),
    };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}

/** Whether the gateway listens on this machine only. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function usesSandbox(config: GatewayConfig): boolean {
  return config.hmac.mode === 'sandbox' || config.primer.mode === 'sandbox';
}

/** A cancellable sandbox payment for GraphiQL's example document, when a sandbox runs. */
function cancellableSampleId(config: GatewayConfig, { HMAC_SEED_IDS, PRIMER_SEED_IDS }: Sandboxes): string | undefined {
  if (config.hmac.mode === 'sandbox') return encodeGlobalId({ provider: 'HMAC', providerPaymentId: HMAC_SEED_IDS.requiresCaptureThb });
  if (config.primer.mode === 'sandbox') return encodeGlobalId({ provider: 'PRIMER', providerPaymentId: PRIMER_SEED_IDS.authorizedUsd });
  return undefined;
}

function sample(label: string, ref: PaymentRef): string {
  return `  ${encodeGlobalId(ref)}  (${label})`;
}

async function closeAll(closers: ReadonlyArray<() => Promise<void>>): Promise<void> {
  for (const close of closers) await close();
}
