/**
 * The lean path's door: the gateway's HTTP server gives every request here first, before
 * Fastify sees it. A plain JSON POST to /graphql has its body read and parsed here and goes
 * to the lean path (lean-path.ts); when the lean path steps aside, or anything about the
 * request is unusual, the request goes to Fastify as if it had come straight from the socket
 * (a body already read is handed back through the route's preParsing hook, `replayedBody`),
 * so Fastify and Apollo answer it exactly as before: refusals, limits, errors and all.
 *
 * Fastify's routing, hooks, request and reply objects and body parsing cost about 5% of the
 * CPU of a request at 64 connections (paired runs; README, Performance); what they did for
 * the lean path is done here: the request id, the `x-request-id` and `cache-control:
 * no-store` headers, `connection: close` while shutting down, the request log line at `info`
 * (through the server's own `logRequest`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { LeanAnswer, LeanPath } from './lean-path.js';

export interface LeanFrontOptions {
  readonly lean: LeanPath;
  /** The endpoint's path (no query string: anything else goes to Fastify). */
  readonly path: string;
  /** Fastify's bodyLimit: a longer body goes to Fastify, which refuses it. */
  readonly bodyLimit: number;
  /** The request id, as Fastify's genReqId makes it. */
  readonly requestId: (request: IncomingMessage) => string;
  /** True once the server is shutting down: Fastify answers 503 then. */
  readonly closing: () => boolean;
  readonly logger: Logger;
  /** The request line the server logs for every answer (server.ts). */
  readonly logRequest: (requestId: string, method: string, url: string, status: number, ms: number) => void;
}

/** Where Fastify goes on with a request the lean path did not answer. */
export type Fallback = (request: IncomingMessage, response: ServerResponse) => void;

export type LeanFront = (request: IncomingMessage, response: ServerResponse, fallback: Fallback) => void;

const BODY = Symbol('lean-front body');
type WithBody = IncomingMessage & { [BODY]?: Buffer };

/** The body the front read before handing the request to Fastify, if it did. */
export function replayedBody(request: IncomingMessage): Buffer | undefined {
  return (request as WithBody)[BODY];
}

const JSON_TYPES = new Set(['application/json', 'application/json; charset=utf-8']);
/**
 * What secure-json-parse (Fastify's JSON parser) refuses or strips: left to Fastify. Two
 * substring searches, not a regular expression: the expression's engine stepped through
 * every character of every body (about 4 000 instructions a cancel, callgrind).
 */
const poisoned = (text: string): boolean => text.includes('__proto__') || text.includes('constructor');
/** The headers `write` sets itself, whatever the answer's headers say. */
const OWN_HEADERS = new Set(['x-request-id', 'cache-control', 'content-type', 'content-length', 'connection']);
const INTERNAL_ERROR = `${JSON.stringify({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] })}\n`;

export function createLeanFront(options: LeanFrontOptions): LeanFront {
  const { lean, logger } = options;

  function takes(request: IncomingMessage): boolean {
    if (request.method !== 'POST' || request.url !== options.path || options.closing()) return false;
    const headers = request.headers;
    if (!JSON_TYPES.has(headers['content-type'] as string)) return false;
    if (headers['transfer-encoding'] !== undefined || headers['content-encoding'] !== undefined) return false;
    const length = Number(headers['content-length']);
    return length > 0 && length <= options.bodyLimit;
  }

  function write(response: ServerResponse, id: string, started: number, answer: LeanAnswer): void {
    const body = answer.body;
    try {
      // Names and values in one list, which Node takes as they are: an object literal
      // spreading the answer's headers took V8's slow path for each key after the spread.
      const headers: Array<string | number> = [];
      for (const name in answer.headers) if (!OWN_HEADERS.has(name)) headers.push(name, answer.headers[name]!);
      headers.push('x-request-id', id, 'cache-control', 'no-store', 'content-type', answer.contentType, 'content-length', Buffer.byteLength(body));
      if (options.closing()) headers.push('connection', 'close');
      response.writeHead(answer.status, headers);
      response.end(body);
    } finally {
      // The audit records and the idempotency record the answer did not wait for.
      answer.afterAnswer();
    }
    options.logRequest(id, 'POST', options.path, answer.status, performance.now() - started);
  }

  async function answer(request: IncomingMessage, response: ServerResponse, fallback: Fallback, raw: Buffer, id: string, started: number): Promise<void> {
    const text = raw.toString('utf8');
    let body: unknown;
    try {
      body = poisoned(text) ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    const answered = body === undefined ? null : await lean.handle({ headers: request.headers, body, id, response });
    if (answered) {
      write(response, id, started, answered);
      return;
    }
    (request as WithBody)[BODY] = raw;
    fallback(request, response);
  }

  return function front(request, response, fallback) {
    if (!takes(request)) {
      fallback(request, response);
      return;
    }
    const started = performance.now();
    const id = options.requestId(request);
    const expected = Number(request.headers['content-length']);
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
    };
    const onEnd = () => {
      request.off('data', onData);
      request.off('error', onError);
      const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received);
      // Node's parser reads exactly content-length bytes; anything else is Fastify's to refuse.
      if (received !== expected) {
        (request as WithBody)[BODY] = raw;
        fallback(request, response);
        return;
      }
      answer(request, response, fallback, raw, id, started).catch((error: unknown) => {
        logger.error({ err: error, requestId: id }, 'lean path failed');
        if (response.headersSent) response.destroy();
        else response.writeHead(500, { 'x-request-id': id, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(INTERNAL_ERROR);
      });
    };
    // The caller went away mid-body: nobody is left to answer.
    const onError = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      response.destroy();
    };
    // `on`, not `once`: each fires at most once here, and `once` wraps its listener.
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
  };
}
