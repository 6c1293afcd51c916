/**
 * The transport every provider client uses: one keep-alive undici Pool per provider origin,
 * explicit connect/headers/body timeouts, a total deadline per call, a cap on response size,
 * and one place where transport failures become ProviderUnavailableError.
 */
import { Pool, errors as undiciErrors } from 'undici';
import type { PaymentProviderName } from '../domain/payment.js';
import { ProviderUnavailableError } from './errors.js';

export interface ProviderTimeouts {
  /** TCP + TLS connect. */
  readonly connectMs: number;
  /** From request sent to response headers received. */
  readonly headersMs: number;
  /** Longest pause between two body chunks. */
  readonly bodyMs: number;
  /** The whole call, headers and body included. */
  readonly deadlineMs: number;
}

export const DEFAULT_TIMEOUTS: ProviderTimeouts = {
  connectMs: 2_000,
  headersMs: 5_000,
  bodyMs: 5_000,
  deadlineMs: 8_000,
};

export interface ProviderHttpOptions {
  readonly provider: PaymentProviderName;
  /** Origin plus an optional base path, e.g. https://api.example.com or http://127.0.0.1:4010/prefix */
  readonly baseUrl: URL;
  readonly timeouts?: ProviderTimeouts | undefined;
  readonly maxConnections?: number | undefined;
  readonly maxResponseBytes?: number | undefined;
}

export interface ProviderHttpRequest {
  readonly method: 'GET' | 'POST';
  /** Path below the base URL, starting with `/`, already percent-encoded. */
  readonly path: string;
  readonly body?: string | undefined;
  /** Called right before each attempt, so that signatures and timestamps are fresh. */
  readonly headers: (body: string) => Record<string, string>;
  readonly signal?: AbortSignal | undefined;
}

export interface ProviderHttpResponse {
  readonly status: number;
  /** The body as text; the caller parses it. */
  readonly body: string;
  /** The provider's request id, when its response carried one. */
  readonly requestId: string | undefined;
  readonly retryAfter: string | undefined;
}

export interface ProviderHttp {
  send(request: ProviderHttpRequest): Promise<ProviderHttpResponse>;
  close(): Promise<void>;
}

const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

export function createProviderHttp(options: ProviderHttpOptions): ProviderHttp {
  const timeouts = options.timeouts ?? DEFAULT_TIMEOUTS;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const basePath = options.baseUrl.pathname.replace(/\/+$/, '');
  const pool = new Pool(options.baseUrl.origin, {
    connections: options.maxConnections ?? 64,
    connect: { timeout: timeouts.connectMs },
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.bodyMs,
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
  });
  const fail = (failure: ConstructorParameters<typeof ProviderUnavailableError>[1], httpStatus?: number) =>
    new ProviderUnavailableError(options.provider, failure, { httpStatus });

  async function send(request: ProviderHttpRequest): Promise<ProviderHttpResponse> {
    const deadline = AbortSignal.timeout(timeouts.deadlineMs);
    const signal = request.signal ? AbortSignal.any([deadline, request.signal]) : deadline;
    const body = request.body ?? '';
    try {
      const response = await pool.request({
        method: request.method,
        path: basePath + request.path,
        headers: request.headers(body),
        body: body === '' ? null : body,
        signal,
      });
      const text = await readText(response.body, maxBytes);
      if (text === undefined) throw fail('unreadable_response', response.statusCode);
      return {
        status: response.statusCode,
        body: text,
        requestId: headerValue(response.headers['x-request-id']),
        retryAfter: headerValue(response.headers['retry-after']),
      };
    } catch (error) {
      if (error instanceof ProviderUnavailableError) throw error;
      if (deadline.aborted) throw fail('timeout');
      if (request.signal?.aborted) throw fail('canceled_by_caller');
      throw fail(classifyTransportError(error));
    }
  }

  return {
    send,
    close: () => pool.close(),
  };
}

/** Reads at most `maxBytes` of body text; undefined when the body is larger. */
async function readText(body: AsyncIterable<Buffer> & { destroy(): unknown }, maxBytes: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function classifyTransportError(error: unknown): 'timeout' | 'connection' | 'unreadable_response' {
  if (
    error instanceof undiciErrors.ConnectTimeoutError ||
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError
  ) {
    return 'timeout';
  }
  if (
    error instanceof undiciErrors.ResponseContentLengthMismatchError ||
    error instanceof undiciErrors.HTTPParserError ||
    error instanceof undiciErrors.HeadersOverflowError
  ) {
    return 'unreadable_response';
  }
  // Socket errors, refused or reset connections, DNS failures.
  return 'connection';
}
