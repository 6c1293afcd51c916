/**
 * The gateway's HTTP server: Fastify carrying the lean path (graphql/lean-path.ts) and Apollo
 * Server at /graphql, GraphiQL, and the operations endpoints. Created by a function so that
 * tests start the real server on a free port.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from '@as-integrations/fastify';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import Fastify, { type FastifyInstance, type RouteHandlerMethod } from 'fastify';
import type { GraphQLError, ValidationContext } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { Logger } from 'pino';
import type { Authenticator, Caller } from './auth/index.js';
import { Cancellation } from './cancellation.js';
import { DEFAULT_LIMITS, type GatewayLimits } from './config.js';

export { DEFAULT_LIMITS };
import { registerGraphiQL, type GraphiQLOptions } from './graphiql/index.js';
import type { GatewayContext } from './graphql/context.js';
import { createErrorFormatter } from './graphql/errors.js';
import { createLeanFront, replayedBody, type LeanFront } from './graphql/lean-front.js';
import { createLeanPath } from './graphql/lean-path.js';
import { accessPlugin } from './graphql/plugins/access.js';
import { operationLimitsPlugin } from './graphql/plugins/operation-limits.js';
import { requestIdPlugin, withRequestId } from './graphql/plugins/request-id.js';
import { callerMayRunAnyDocument, trustedDocumentsCache, trustedDocumentsPlugin, type TrustedDocuments } from './graphql/plugins/trusted-documents.js';
import { resolvers } from './graphql/resolvers/index.js';
import { loadTypeDefs } from './graphql/schema.js';
import { unauthenticatedError } from './graphql/unauthenticated.js';
import type { IdempotencyLedger } from './idempotency/ledger.js';
import type { GatewayMetrics } from './observability/metrics.js';
import { registerOperationsRoutes } from './ops.js';
import { createPaymentsService, type AfterAnswer } from './payments/service.js';
import type { ProviderRegistry } from './providers/registry.js';
import type { RateLimiter } from './rate-limit/index.js';


const REPORT = {
  exposeLimits: true,
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
};

export interface GatewayServerOptions {
  readonly registry: ProviderRegistry;
  readonly ledger: IdempotencyLedger;
  readonly cancelRateLimiter: RateLimiter;
  readonly authenticator: Authenticator;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  readonly host?: string | undefined;
  /** 0 picks a free port. */
  readonly port?: number | undefined;
  /** `open`: any caller; `scoped`: callers with schema:introspect; `off`: nobody. */
  readonly introspection?: 'open' | 'scoped' | 'off' | undefined;
  readonly limits?: GatewayLimits | undefined;
  /** Only these documents run (and arbitrary ones for callers with documents:any). */
  readonly trustedDocuments?: TrustedDocuments | undefined;
  /** The lean path for common requests (graphql/lean-path.ts); false: Apollo answers everything. */
  readonly leanPath?: boolean | undefined;
  /** The offline GraphiQL page at /graphiql (default: on, with placeholder headers); false: none. */
  readonly graphiql?: GraphiQLOptions | false | undefined;
}

export interface GatewayServer {
  /** e.g. http://localhost:4000 */
  readonly url: string;
  readonly graphqlUrl: string;
  readonly app: FastifyInstance;
  /** Requests the lean path answered (the rest went to Apollo). */
  leanRequests(): number;
  close(): Promise<void>;
}

const DISCONNECT = Symbol('disconnect signal');
type WithDisconnect = ServerResponse & { [DISCONNECT]?: Cancellation };

/** One function for every response, which finds its signal on it: no closure per request. */
function onResponseClose(this: WithDisconnect): void {
  if (!this.writableFinished) this[DISCONNECT]?.abort(new Error('caller disconnected'));
}

/** Aborts when the caller goes away before its response is finished: provider calls stop too. */
function disconnectSignal(response: ServerResponse): Cancellation {
  const cancellation = new Cancellation();
  (response as WithDisconnect)[DISCONNECT] = cancellation;
  // `on`, not `once`: a response closes once, and `once` wraps the listener per request.
  response.on('close', onResponseClose);
  return cancellation;
}

/** The caller's x-request-id when it is a sane token, else a new one. */
function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : randomUUID();
}

export async function startGatewayServer(options: GatewayServerOptions): Promise<GatewayServer> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const introspection = options.introspection ?? 'open';
  const logger = options.logger;
  // Every request meets the lean path's door first (graphql/lean-front.ts), set once Apollo
  // has started; the server is made as Fastify would make it.
  let front: LeanFront | null = null;
  const app = Fastify({
    bodyLimit: limits.maxBodyBytes,
    genReqId: requestIdOf,
    logger: false,
    serverFactory: (handler, settings) => {
      // Fastify's defaults for its own servers (fastify/lib/server.js), from its resolved options.
      const server = createServer((settings['http'] ?? {}) as object, (request, response) => (front ? front(request, response, handler) : handler(request, response)));
      server.keepAliveTimeout = Number(settings['keepAliveTimeout']);
      server.requestTimeout = Number(settings['requestTimeout']);
      server.setTimeout(Number(settings['connectionTimeout']));
      return server;
    },
  });
  // While shutting down, responses still in flight close their connection, so that a
  // keep-alive client cannot hold the server open.
  let closing = false;
  // Callback hooks, not async ones: each async hook costs a promise and a turn per request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    // Payment data is never cached by browsers or proxies (routes that serve cacheable
    // static files set their own header).
    reply.header('cache-control', 'no-store');
    done();
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  // The request line at info, for Fastify's answers and the lean path's door alike; the
  // record is built only when it is written (LOG_LEVEL info or finer), and skips the path
  // redaction (logger.ts: a copy of every record, about 5 µs a line), having only these
  // five fields, none of them a credential.
  const requestLog = logger.child({}, { redact: [] });
  const logRequest = (requestId: string, method: string, url: string, status: number, ms: number): void => {
    if (requestLog.isLevelEnabled('info')) requestLog.info({ requestId, method, path: url.split('?')[0], status, ms: Math.round(ms) }, 'request');
  };
  app.addHook('onResponse', (request, reply, done) => {
    logRequest(request.id, request.method, request.url, reply.statusCode, reply.elapsedTime);
    done();
  });

  const service = createPaymentsService({
    registry: options.registry,
    ledger: options.ledger,
    cancelRateLimiter: options.cancelRateLimiter,
    logger,
  });
  // One executable schema and one set of validation rules for Apollo and the lean path.
  const schema = makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers });
  // graphql-armor's rules throw by default, which Apollo turns into a 500: report instead,
  // so an over-limit document is a 400 validation error like any other.
  const validationRules = [
    maxDepthRule({ n: limits.maxDepth, ignoreIntrospection: true, ...REPORT }),
    maxAliasesRule({ n: limits.maxAliases, ...REPORT }),
    costLimitRule({ maxCost: limits.maxCost, ignoreIntrospection: true, ...REPORT }),
  ];
  const formatError = createErrorFormatter(logger);
  const apollo = new ApolloServer<GatewayContext>({
    schema,
    introspection: introspection !== 'off',
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    hideSchemaDetailsFromClientErrors: true,
    includeStacktraceInErrorResponses: false,
    // Shutdown is the gateway's own (main.ts): Apollo would re-raise the signal after stopping.
    stopOnTerminationSignals: false,
    parseOptions: { maxTokens: limits.maxTokens },
    // With trusted documents, APQ resolves hashes from the manifest and registers nothing.
    ...(options.trustedDocuments ? { persistedQueries: { cache: trustedDocumentsCache(options.trustedDocuments) } } : {}),
    validationRules,
    formatError,
    plugins: [
      // Apollo's landing page loads from a CDN: never served.
      ApolloServerPluginLandingPageDisabled(),
      // The gateway sets no cache hints and sends no traces to Apollo: these plugins would
      // otherwise run on every field of every request (about 6% of the CPU per request).
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      fastifyApolloDrainPlugin(app),
      ...(options.trustedDocuments ? [trustedDocumentsPlugin(options.trustedDocuments, { isTrusted: callerMayRunAnyDocument })] : []),
      accessPlugin({ introspection: introspection === 'scoped' ? 'scoped' : 'open' }),
      operationLimitsPlugin(limits),
      requestIdPlugin(),
      options.metrics.plugin() as ApolloServerPlugin<GatewayContext>,
    ],
  });
  await apollo.start();
  registerOperationsRoutes(app, { registry: options.registry, ledger: options.ledger, metrics: options.metrics });
  const graphiql = options.graphiql === false ? null : registerGraphiQL(app, { ...options.graphiql, endpoint: '/graphql', logger });

  // On Apollo's path the answer waits for everything (no afterAnswer); the lean path writes
  // the audit records and the idempotency record once its answer is written.
  const contextFor = (request: { readonly id: string; readonly response: ServerResponse }, caller: Caller, afterAnswer?: AfterAnswer): GatewayContext => ({
    caller,
    requestId: request.id,
    payments: service.openSession({ signal: disconnectSignal(request.response), caller: caller.name, requestId: request.id, afterAnswer }),
  });
  const apolloHandler = fastifyApolloHandler(apollo, {
    context: async (request, reply): Promise<GatewayContext> => {
      const auth = await options.authenticator.authenticate(request.headers.authorization);
      if (!auth.ok) throw unauthenticatedError(auth.reason, auth.message, request.id);
      return contextFor({ id: request.id, response: reply.raw }, auth.caller);
    },
  });
  const lean =
    options.leanPath === false
      ? null
      : createLeanPath({
          schema,
          validationRules,
          maxTokens: limits.maxTokens,
          limits,
          trustedDocuments: options.trustedDocuments,
          authenticate: (authorization) => {
            const auth = options.authenticator.authenticateNow(authorization);
            return auth instanceof Promise ? auth.then((settled) => (settled.ok ? settled.caller : null)) : auth.ok ? auth.caller : null;
          },
          createContext: contextFor,
          // Apollo's formatError, then the request id, as requestIdPlugin adds it on Apollo's path.
          formatError: (formatted, error, requestId) => withRequestId(formatError(formatted, error), requestId),
          onDeferredError: (error) => logger.error({ err: error }, 'work after an answer failed'),
          onResponse: (event) => options.metrics.observeRequest(event),
        });

  // A GraphQL request the lean path did not answer (or never saw) goes to Apollo.
  const graphqlHandler = apolloHandler as unknown as RouteHandlerMethod;
  // A browser opening /graphql gets GraphiQL: a hook on GET only, so a POST runs none.
  app.route({ url: '/graphql', method: 'GET', ...(graphiql ? { onRequest: graphiql.pageForBrowsers } : {}), handler: graphqlHandler });
  app.route({
    url: '/graphql',
    method: ['POST', 'OPTIONS'],
    // A body the lean path's door already read is read again from here.
    preParsing: (request, _reply, payload, done) => {
      const body = replayedBody(request.raw);
      done(null, body === undefined ? payload : Readable.from([body], { objectMode: false }));
    },
    handler: graphqlHandler,
  });
  if (lean) {
    front = createLeanFront({ lean, path: '/graphql', bodyLimit: limits.maxBodyBytes, requestId: requestIdOf, closing: () => closing, logger, logRequest });
  }

  const host = options.host ?? 'localhost';
  await app.listen({ host, port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url,
    graphqlUrl: `${url}/graphql`,
    app,
    leanRequests: () => lean?.served() ?? 0,
    async close() {
      closing = true;
      await app.close();
      await apollo.stop();
    },
  };
}
