/**
 * The gateway's HTTP server: Fastify carrying Apollo Server at /graphql. Created by a
 * function so that tests start the real server on a free port.
 */
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from '@as-integrations/fastify';
import type { ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { GatewayContext } from './graphql/context.js';
import { createErrorFormatter } from './graphql/errors.js';
import { resolvers } from './graphql/resolvers/index.js';
import { loadTypeDefs } from './graphql/schema.js';
import type { IdempotencyLedger } from './idempotency/ledger.js';
import { createPaymentsService } from './payments/service.js';
import type { ProviderRegistry } from './providers/registry.js';

export interface GatewayServerOptions {
  readonly registry: ProviderRegistry;
  readonly ledger: IdempotencyLedger;
  readonly logger: Logger;
  readonly host?: string | undefined;
  /** 0 picks a free port. */
  readonly port?: number | undefined;
  readonly introspection?: boolean | undefined;
  readonly bodyLimitBytes?: number | undefined;
}

export interface GatewayServer {
  /** e.g. http://localhost:4000 */
  readonly url: string;
  readonly graphqlUrl: string;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

/** Aborts when the caller goes away before its response is finished: provider calls stop too. */
function disconnectSignal(response: ServerResponse): AbortSignal {
  const controller = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) controller.abort(new Error('caller disconnected'));
  });
  return controller.signal;
}

export async function startGatewayServer(options: GatewayServerOptions): Promise<GatewayServer> {
  const app = Fastify({ bodyLimit: options.bodyLimitBytes ?? 1024 * 1024 });
  const service = createPaymentsService({ registry: options.registry, ledger: options.ledger, logger: options.logger });
  const apollo = new ApolloServer<GatewayContext>({
    typeDefs: loadTypeDefs(),
    resolvers,
    introspection: options.introspection ?? true,
    csrfPrevention: true,
    // Shutdown is the gateway's own (main.ts): Apollo would re-raise the signal after stopping.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    formatError: createErrorFormatter(options.logger),
    // Apollo's landing page loads from a CDN: never served. GraphiQL is served by the gateway.
    plugins: [ApolloServerPluginLandingPageDisabled(), fastifyApolloDrainPlugin(app)],
  });
  await apollo.start();

  app.route({
    url: '/graphql',
    method: ['GET', 'POST', 'OPTIONS'],
    handler: fastifyApolloHandler(apollo, {
      context: async (_request, reply) => ({ payments: service.openSession({ signal: disconnectSignal(reply.raw) }) }),
    }),
  });

  const host = options.host ?? 'localhost';
  await app.listen({ host, port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url,
    graphqlUrl: `${url}/graphql`,
    app,
    async close() {
      await app.close();
      await apollo.stop();
    },
  };
}
