/**
 * Integration harness: both provider sandboxes and the real gateway server, all on
 * loopback ports, talking real HTTP. Nothing of the gateway's own code path is mocked.
 */
import { request } from 'undici';
import { createAuthenticator, type AuthConfig } from '../../src/auth/index.js';
import type { GatewayLimits } from '../../src/config.js';
import { encodeGlobalId } from '../../src/domain/global-id.js';
import { createMemoryLedger, type IdempotencyLedger } from '../../src/idempotency/index.js';
import type { PaymentProviderName } from '../../src/domain/payment.js';
import { Secret } from '../../src/domain/secret.js';
import type { GraphiQLOptions } from '../../src/graphiql/index.js';
import type { ProviderTimeouts, ResilienceOptions } from '../../src/providers/http.js';
import { closeProviderRegistry, createProviderRegistry } from '../../src/providers/registry.js';
import { createHmacSandbox, createPrimerSandbox, type HmacSandbox, type PrimerSandbox } from '../../src/sandboxes/index.js';
import type { TrustedDocuments } from '../../src/graphql/plugins/trusted-documents.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createMemoryRateLimiter, type RateLimiter } from '../../src/rate-limit/index.js';
import { startGatewayServer, type GatewayServer } from '../../src/server.js';
import { FULL_KEY, TEST_AUTH } from './credentials.js';
import { captureLog, type CapturedLog } from './log-capture.js';

export interface GraphQLResponse<T = Record<string, any>> {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: { data?: T | null; errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }> };
  readonly text: string;
}

export interface TestGateway {
  readonly server: GatewayServer;
  readonly hmac: HmacSandbox;
  readonly primer: PrimerSandbox;
  readonly log: CapturedLog;
  /** POSTs a GraphQL request, with the full-scope key unless `credential` says otherwise (null: none). */
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, options?: RequestOptions): Promise<GraphQLResponse<T>>;
  /** Resets both sandboxes (seed, faults, request log). */
  reset(): void;
  close(): Promise<void>;
}

export interface RequestOptions {
  readonly credential?: string | null;
  readonly headers?: Record<string, string>;
}

export interface TestGatewayOptions {
  /** The lean path for common requests (default on, as in production). */
  readonly leanPath?: boolean;
  readonly auth?: AuthConfig;
  readonly limits?: GatewayLimits;
  readonly introspection?: 'open' | 'scoped' | 'off';
  readonly cancelRateLimiter?: RateLimiter;
  readonly trustedDocuments?: TrustedDocuments;
  readonly timeouts?: ProviderTimeouts;
  readonly resilience?: Partial<ResilienceOptions>;
  /** The idempotency ledger (default: a fresh in-memory one). */
  readonly ledger?: IdempotencyLedger;
  /** Base URLs that override the sandboxes' (e.g. a closed port). */
  readonly hmacBaseUrl?: string;
  readonly primerBaseUrl?: string;
  /** Credentials the gateway uses (defaults: the sandboxes' own). */
  readonly hmacApiKey?: string;
  readonly hmacApiSecret?: string;
  readonly primerApiKey?: string;
  /** The GraphiQL page (default: the server's own default, on with placeholder headers). */
  readonly graphiql?: GraphiQLOptions | false;
  /** The gateway's LOG_LEVEL (default debug: everything is captured). */
  readonly logLevel?: string;
}

export const FAST_TIMEOUTS: ProviderTimeouts = { connectMs: 1000, headersMs: 1500, bodyMs: 1500, deadlineMs: 1500 };

export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const hmac = await createHmacSandbox();
  const primer = await createPrimerSandbox();
  const log = captureLog(options.logLevel);
  const metrics = createMetrics();
  const registry = createProviderRegistry(
    {
      hmac: {
        baseUrl: new URL(options.hmacBaseUrl ?? hmac.url),
        apiKey: new Secret(options.hmacApiKey ?? hmac.apiKey),
        apiSecret: new Secret(options.hmacApiSecret ?? hmac.apiSecret),
      },
      primer: { baseUrl: new URL(options.primerBaseUrl ?? primer.url), apiKey: new Secret(options.primerApiKey ?? primer.apiKey) },
    },
    { logger: log.logger, timeouts: options.timeouts ?? FAST_TIMEOUTS, resilience: options.resilience, onProviderCall: metrics.observeProviderCall },
  );
  const ledger = options.ledger ?? createMemoryLedger();
  const cancelRateLimiter = options.cancelRateLimiter ?? createMemoryRateLimiter({ capacity: 1_000_000, refillPerSecond: 1_000_000 });
  const authenticator = await createAuthenticator(options.auth ?? TEST_AUTH);
  const server = await startGatewayServer({
    registry,
    ledger,
    cancelRateLimiter,
    authenticator,
    metrics,
    logger: log.logger,
    host: '127.0.0.1',
    port: 0,
    introspection: options.introspection,
    limits: options.limits,
    trustedDocuments: options.trustedDocuments,
    graphiql: options.graphiql,
    leanPath: options.leanPath,
  });

  return {
    server,
    hmac,
    primer,
    log,
    async gql(query, variables, requestOptions = {}) {
      const credential = requestOptions.credential === undefined ? FULL_KEY : requestOptions.credential;
      const response = await request(server.graphqlUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(credential === null ? {} : { authorization: `Bearer ${credential}` }),
          ...requestOptions.headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.body.text();
      let body: GraphQLResponse['body'];
      try {
        body = JSON.parse(text) as GraphQLResponse['body'];
      } catch {
        body = {};
      }
      return { status: response.statusCode, headers: response.headers, body: body as GraphQLResponse<any>['body'], text };
    },
    reset() {
      hmac.reset();
      primer.reset();
    },
    async close() {
      await server.close();
      await closeProviderRegistry(registry);
      await ledger.close();
      await cancelRateLimiter.close();
      await Promise.all([hmac.close(), primer.close()]);
    },
  };
}

export const globalId = (provider: PaymentProviderName, providerPaymentId: string): string =>
  encodeGlobalId({ provider, providerPaymentId });

export const PAYMENT_FIELDS = `
  id provider providerPaymentId status providerStatus isCancellable
  amount { amount currencyCode minorUnits }
  reference description metadata createdAt updatedAt canceledAt paymentMethod
  statusReason { type declineType code message }
`;

export const CANCEL_RESULT_FIELDS = `
  __typename
  ... on CancelPaymentSuccess { alreadyCanceled payment { ${PAYMENT_FIELDS} } }
  ... on PaymentNotCancellable { message payment { ${PAYMENT_FIELDS} } }
  ... on PaymentNotFound { message }
  ... on ProviderUnavailable { message provider retryable }
  ... on InvalidInput { message field }
  ... on IdempotencyKeyConflict { message idempotencyKey retryable }
`;

export const CANCEL_MUTATION = `mutation Cancel($input: CancelPaymentInput!) { cancelPayment(input: $input) { ${CANCEL_RESULT_FIELDS} } }`;
