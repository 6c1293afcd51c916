/**
 * Shared machinery of the provider sandboxes: a plain `node:http` server on 127.0.0.1, body
 * reading with a size cap, the request log, fault injection, the control routes and a
 * `close()` that never hangs.
 *
 * Control routes (unauthenticated, sandbox-only, never recorded, never subject to faults):
 *   GET    /_sandbox/requests   the request log as JSON (RecordedRequest[])
 *   DELETE /_sandbox/requests   clear the request log                       → 204
 *   POST   /_sandbox/faults     add a fault rule (JSON FaultRule)           → 204, or 400 {error}
 *   DELETE /_sandbox/faults     clear all fault rules                       → 204
 *   POST   /_sandbox/reset      restore the seed; clear faults, log, idempotency keys, counters → 204
 *
 * Every other request is a provider-API request: it is recorded (before any fault applies),
 * then the first matching fault rule applies, then the provider answers. A load test may
 * turn recording off (`recordRequests: false`): the log then stays empty and costs nothing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { FaultRules, type FaultRule } from './faults.js';

export type { Fault, FaultRule } from './faults.js';

export interface RecordedRequest {
  method: string;
  /** Including the query string, exactly as received. */
  path: string;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
  /** What the sandbox answered; 0 if it reset or hung (or has not answered yet). */
  status: number;
  /** The client closed the connection before the sandbox answered. */
  clientGone: boolean;
}

export interface SandboxControl {
  /** e.g. http://127.0.0.1:43121 (no trailing slash) */
  readonly url: string;
  /** Provider-API requests only (not /_sandbox/*), in arrival order, recorded before faults apply. */
  readonly requests: readonly RecordedRequest[];
  clearRequests(): void;
  /** Resolves once `condition` holds for the request log (checked on every change to it). */
  waitFor(condition: (requests: readonly RecordedRequest[]) => boolean): Promise<void>;
  /** Rules are checked in insertion order; the first matching one with uses left applies. */
  addFault(rule: FaultRule): void;
  clearFaults(): void;
  /** Restore the seed; clear faults, requests, idempotency keys and counters. */
  reset(): void;
  close(): Promise<void>;
}

/** A sandbox that holds payments tests can read and plant. */
export interface PaymentSandbox extends SandboxControl {
  /** Store or replace a raw wire payment by its `id`; it is served verbatim. */
  putPayment(raw: Record<string, unknown>): void;
  getPayment(id: string): Record<string, unknown> | undefined;
}

/** A provider-API request as a provider implementation sees it. */
export interface SandboxRequest {
  method: string;
  pathname: string;
  query: URLSearchParams;
  headers: Readonly<Record<string, string>>;
  /** The exact raw bytes received. */
  body: Buffer;
}

/** An answer: `json` is serialised; `text` is sent as is (e.g. an HTML gateway page). */
export interface SandboxReply {
  status: number;
  json?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/** What a provider plugs into the shared server. */
export interface ProviderBehaviour {
  handle(request: SandboxRequest): SandboxReply;
  /** The provider's own answer for an error status: status faults, oversized bodies, internal errors. */
  errorReply(status: number): SandboxReply;
  /** A 200 body that is not JSON; `malformed-json` sends it whole, `truncated` sends it cut short. */
  brokenJson: string;
  /** Restore the provider's seeded state, idempotency keys and counters. */
  resetState(): void;
}

export interface SandboxServerOptions {
  port?: number;
  maxBodyBytes?: number;
  /** Keep the request log (default true). Off for load tests: the log would grow without end. */
  recordRequests?: boolean;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const CONTROL_PREFIX = '/_sandbox/';

export async function startSandboxServer(
  provider: ProviderBehaviour,
  options: SandboxServerOptions = {},
): Promise<SandboxControl> {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const recording = options.recordRequests ?? true;
  const requests: RecordedRequest[] = [];
  const faults = new FaultRules();
  const sockets = new Set<Socket>();
  const closing = new AbortController();
  const watchers = new Set<() => void>();
  const notify = () => {
    for (const check of [...watchers]) check();
  };

  const control = {
    url: '',
    get requests(): readonly RecordedRequest[] {
      return [...requests];
    },
    clearRequests(): void {
      requests.length = 0;
    },
    waitFor(condition: (requests: readonly RecordedRequest[]) => boolean): Promise<void> {
      return new Promise<void>((resolve) => {
        const check = () => {
          if (!condition([...requests])) return;
          watchers.delete(check);
          resolve();
        };
        watchers.add(check);
        check();
      });
    },
    addFault(rule: FaultRule): void {
      faults.add(rule);
    },
    clearFaults(): void {
      faults.clear();
    },
    reset(): void {
      faults.clear();
      requests.length = 0;
      provider.resetState();
    },
    close,
  };

  const server = createServer((req, res) => {
    serve(req, res).catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    // Split by hand rather than with `new URL`: no dot-segment or `//host` reinterpretation,
    // so a malformed path from the gateway stays malformed and meets a 404.
    const queryAt = path.indexOf('?');
    const pathname = queryAt < 0 ? path : path.slice(0, queryAt);
    const query = new URLSearchParams(queryAt < 0 ? '' : path.slice(queryAt + 1));
    const { body, tooLarge } = await readBody(req, maxBodyBytes);

    if (pathname.startsWith(CONTROL_PREFIX)) {
      send(res, answerControl(method, pathname, body));
      return;
    }

    const record: RecordedRequest = {
      method,
      path,
      headers: flattenHeaders(req),
      body: body.toString('utf8'),
      status: 0,
      clientGone: false,
    };
    if (recording) {
      requests.push(record);
      res.once('close', () => {
        if (!res.writableFinished) record.clientGone = true;
        notify();
      });
      notify();
    }
    if (tooLarge) {
      send(res, provider.errorReply(413), record);
      return;
    }

    const fault = faults.take(method, path);
    switch (fault?.type) {
      case undefined:
        break;
      case 'latency':
        try {
          await delay(fault.ms, undefined, { signal: closing.signal });
        } catch {
          return; // the sandbox is closing; its sockets are being destroyed
        }
        break;
      case 'status': {
        const reply = provider.errorReply(fault.status);
        if (fault.retryAfter !== undefined) reply.headers = { ...reply.headers, 'retry-after': fault.retryAfter };
        send(res, { ...reply, status: fault.status }, record);
        return;
      }
      case 'malformed-json':
        send(res, { status: 200, text: provider.brokenJson, contentType: 'application/json' }, record);
        return;
      case 'truncated':
        sendTruncated(res, provider.brokenJson, record);
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'hang':
        return; // never answered: close() or the client ends it
    }

    let reply: SandboxReply;
    try {
      reply = provider.handle({ method, pathname, query, headers: record.headers, body });
    } catch {
      reply = provider.errorReply(500);
    }
    send(res, reply, record);
  }

  function answerControl(method: string, pathname: string, body: Buffer): SandboxReply {
    switch (`${method} ${pathname}`) {
      case 'GET /_sandbox/requests':
        return { status: 200, json: requests };
      case 'DELETE /_sandbox/requests':
        control.clearRequests();
        return { status: 204 };
      case 'POST /_sandbox/faults':
        try {
          faults.add(JSON.parse(body.toString('utf8')) as FaultRule); // validated by add()
          return { status: 204 };
        } catch (error) {
          return { status: 400, json: { error: error instanceof Error ? error.message : 'invalid fault rule' } };
        }
      case 'DELETE /_sandbox/faults':
        control.clearFaults();
        return { status: 204 };
      case 'POST /_sandbox/reset':
        control.reset();
        return { status: 204 };
      default:
        return { status: 404, json: { error: `no sandbox control route ${method} ${pathname}` } };
    }
  }

  let closed: Promise<void> | undefined;
  function close(): Promise<void> {
    closed ??= new Promise<void>((resolve) => {
      closing.abort();
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
    return closed;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  control.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return control;
}

/** Compares two secrets in constant time, whatever their lengths. */
export function constantTimeEqual(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** A percent-decoded path segment; a malformed escape is kept as it came (and so matches nothing). */
export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function send(res: ServerResponse, reply: SandboxReply, record?: RecordedRequest): void {
  const body = reply.text ?? (reply.json === undefined ? '' : JSON.stringify(reply.json));
  const headers: Record<string, string> = {};
  if (body !== '') {
    headers['content-type'] = reply.contentType ?? 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  } else if (reply.status !== 204) {
    headers['content-length'] = '0';
  }
  if (record) record.status = reply.status;
  res.writeHead(reply.status, { ...headers, ...reply.headers }).end(body);
}

/** 200 with JSON headers promising more bytes than are sent, then the connection dies. */
function sendTruncated(res: ServerResponse, partial: string, record: RecordedRequest): void {
  record.status = 200;
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(partial) + 1024),
  });
  res.write(partial, () => res.destroy());
}

/** Reads the whole body; past the cap it keeps draining (so the answer can be read) but keeps nothing. */
function readBody(req: IncomingMessage, cap: number): Promise<{ body: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= cap) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > cap ? { body: Buffer.alloc(0), tooLarge: true } : { body: Buffer.concat(chunks), tooLarge: false }));
    req.on('error', reject);
  });
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}
