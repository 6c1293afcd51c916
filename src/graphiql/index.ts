/**
 * GraphiQL, served by the gateway itself and fully offline: GET /graphiql (and a browser's
 * GET /graphql) answers the page, /graphiql/<file> its scripts, styles and Monaco workers,
 * all from memory (gunzipped on demand for a client that refuses gzip), every response under
 * a strict Content-Security-Policy. The page itself needs no credential; its GraphQL requests
 * carry whatever the headers editor holds.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { prefersHtml } from './accept.js';
import { loadGraphiQLAssets } from './assets.js';
import { exampleDocument } from './document.js';
import { newStyleNonce, pageTemplate, securityHeaders } from './page.js';

export { exampleDocument } from './document.js';

export interface GraphiQLOptions {
  /** The headers editor's content; default: an Authorization header with a placeholder key. */
  readonly defaultHeaders?: Readonly<Record<string, string>> | undefined;
  /** The operations editor's content on a first visit; default: exampleDocument(). */
  readonly defaultDocument?: string | undefined;
}

export interface GraphiQLRouteOptions extends GraphiQLOptions {
  /** Path of the GraphQL endpoint the page talks to. */
  readonly endpoint: string;
  readonly logger: Logger;
  /** Where the built files are (default: dist/graphiql). */
  readonly assetDir?: string | undefined;
}

export interface GraphiQLRoutes {
  /** onRequest hook for the GraphQL route: answers a browser's plain GET with the page. */
  readonly pageForBrowsers: (request: FastifyRequest, reply: FastifyReply, done: () => void) => void;
}

const GRAPHIQL_PATH = '/graphiql';

/** Whether an Accept-Encoding header allows gzip (present, and not refused with q=0). */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  return header.split(',').some((part) => {
    const [coding = '', ...params] = part.trim().toLowerCase().split(';');
    if (coding.trim() !== 'gzip' && coding.trim() !== '*') return false;
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}
const PLACEHOLDER_HEADERS: Readonly<Record<string, string>> = { Authorization: 'Bearer <your key>' };
const IMMUTABLE = 'public, max-age=31536000, immutable';

export function registerGraphiQL(app: FastifyInstance, options: GraphiQLRouteOptions): GraphiQLRoutes {
  const assets = loadGraphiQLAssets(options.assetDir);
  if (!assets) options.logger.warn('GraphiQL is not built (no dist/graphiql/manifest.json): /graphiql answers 503; run npm run build');
  const render =
    assets &&
    pageTemplate(GRAPHIQL_PATH, assets, {
      endpoint: options.endpoint,
      defaultQuery: options.defaultDocument ?? exampleDocument(),
      defaultHeaders: JSON.stringify(options.defaultHeaders ?? PLACEHOLDER_HEADERS, null, 2),
    });

  const sendPage = (reply: FastifyReply): FastifyReply => {
    if (!render) return reply.code(503).headers(securityHeaders()).type('text/plain; charset=utf-8').send('GraphiQL is not built: run npm run build\n');
    const nonce = newStyleNonce();
    // no-store: the page may carry the development key, and every response has its own nonce.
    return reply.headers(securityHeaders(nonce)).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(render(nonce));
  };

  app.get(GRAPHIQL_PATH, async (_request, reply) => sendPage(reply));
  app.get<{ Params: { file: string } }>(`${GRAPHIQL_PATH}/:file`, async (request, reply) => {
    if (request.params.file === '') return sendPage(reply);
    const asset = assets?.files.get(request.params.file);
    if (!asset) return reply.code(404).headers(securityHeaders()).type('text/plain; charset=utf-8').send('Not found\n');
    reply.headers(securityHeaders()).header('cache-control', IMMUTABLE).header('vary', 'accept-encoding').type(asset.contentType);
    if (asset.gzip && acceptsGzip(request.headers['accept-encoding'])) return reply.header('content-encoding', 'gzip').send(asset.gzip);
    let body: Buffer;
    try {
      body = await asset.identity();
    } catch (error) {
      // The build's .gz copy is damaged: say so in the log, not to the client.
      options.logger.error({ err: error, file: request.params.file }, 'a GraphiQL file could not be gunzipped');
      return reply.code(500).header('cache-control', 'no-store').removeHeader('vary').type('text/plain; charset=utf-8').send('Internal error\n');
    }
    return reply.send(body);
  });

  return {
    // A callback hook (not async): it runs before every GET (and HEAD) of /graphql.
    pageForBrowsers(request, reply, done) {
      if (request.method !== 'GET' || !render || !prefersHtml(request.headers.accept)) return done();
      // A GraphQL GET names its query, or (persisted queries) only its extensions.
      const query = request.query as Record<string, unknown>;
      if (query.query !== undefined || query.extensions !== undefined) return done();
      sendPage(reply);
    },
  };
}
