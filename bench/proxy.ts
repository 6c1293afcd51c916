/**
 * P, the yardstick: the least a server can do to offer the gateway's read and cancel.
 * `node:http` + one keep-alive undici Pool to the provider, and nothing else: no GraphQL, no
 * authentication, no idempotency ledger, no rate limit, no breaker, no logs, no metrics.
 *
 *   GET  /payments/<globalId>          → {"data":{"payment":{…}}}
 *   POST /payments/<globalId>/cancel   → {"data":{"cancelPayment":{"__typename":…}}}
 *                                        (X-Idempotency-Key forwarded as the gateway does)
 *
 * It does the work the gateway must do for the same answer, with the gateway's own code:
 * decodes the global id (src/domain/global-id.ts), sends the provider call the gateway sends
 * (same path, headers, body; HMAC signed per call), reads the answer with the provider's
 * `classify…Response` and `toPayment`, checks the id, and serializes the fields G's query
 * selects, in order (bench/scenarios.ts). The pool has the gateway's settings (64
 * connections, 10 s/60 s keep-alive, timeouts). Prints `{"url"}` and runs until stdin closes.
 *
 * Usage: node dist/bench/proxy.js <sandboxUrl> <primer|hmac> <apiKey> [apiSecret]
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { decodeGlobalId } from '../src/domain/global-id.js';
import type { Payment } from '../src/domain/payment.js';
import { cancelPath, readPath } from '../src/providers/hmac/assumptions.js';
import { hmacAuthHeaders } from '../src/providers/hmac/signing.js';
import { classifyHmacResponse, toPayment as hmacToPayment } from '../src/providers/hmac/transforms.js';
import { classifyPrimerResponse, toPayment as primerToPayment } from '../src/providers/primer/transforms.js';
import { PRIMER_API_VERSION } from '../src/providers/primer/wire.js';
import { PROVIDER_NAME, selectPaymentFields, type BenchProvider } from './scenarios.js';

/** What P needs of a provider: its call, and what the answer means (ok → the payment). */
interface ProviderCall {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string | null;
}
type Meaning = { readonly kind: 'ok'; readonly payment: Payment } | { readonly kind: string };

interface ProviderAdapter {
  read(id: string): ProviderCall;
  cancel(id: string, idempotencyKey: string | undefined): ProviderCall;
  meaning(status: number, body: string): Meaning;
}

function primerAdapter(apiKey: string): ProviderAdapter {
  const headers = () => ({ 'X-API-KEY': apiKey, 'X-API-VERSION': PRIMER_API_VERSION, Accept: 'application/json' });
  const path = (id: string) => `/payments/${encodeURIComponent(id)}`;
  return {
    read: (id) => ({ method: 'GET', path: path(id), headers: headers(), body: null }),
    cancel: (id, key) => ({
      method: 'POST',
      path: `${path(id)}/cancel`,
      headers: { ...headers(), 'Content-Type': 'application/json', ...(key === undefined ? {} : { 'X-Idempotency-Key': key }) },
      body: '{}',
    }),
    meaning(status, body) {
      const reply = classifyPrimerResponse(status, body);
      return reply.kind === 'ok' ? { kind: 'ok', payment: primerToPayment(reply.payment) } : reply;
    },
  };
}

function hmacAdapter(apiKey: string, apiSecret: string): ProviderAdapter {
  const signed = () => hmacAuthHeaders(apiKey, apiSecret, Date.now(), '');
  return {
    read: (id) => ({ method: 'GET', path: readPath(id), headers: signed(), body: null }),
    // As the gateway: no body, and no idempotency header (the provider documents none).
    cancel: (id) => ({ method: 'POST', path: cancelPath(id), headers: signed(), body: null }),
    meaning(status, body) {
      const reply = classifyHmacResponse(status, body);
      return reply.kind === 'ok' ? { kind: 'ok', payment: hmacToPayment(reply.data) } : reply;
    },
  };
}

const ROUTE = /^\/payments\/([A-Za-z0-9_-]+)(\/cancel)?$/;

function send(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
}

export async function startProxy(sandboxUrl: string, provider: BenchProvider, apiKey: string, apiSecret: string): Promise<{ url: string; close(): Promise<void> }> {
  const adapter = provider === 'hmac' ? hmacAdapter(apiKey, apiSecret) : primerAdapter(apiKey);
  const pool = new Pool(sandboxUrl, {
    connections: 64,
    connect: { timeout: 2_000 },
    headersTimeout: 8_000,
    bodyTimeout: 8_000,
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.resume(); // no request body is used
    const match = ROUTE.exec(req.url ?? '');
    const isCancel = match?.[2] !== undefined;
    if (!match || req.method !== (isCancel ? 'POST' : 'GET')) return send(res, 404, { errors: [{ message: 'no such route' }] });
    const ref = decodeGlobalId(match[1]!);
    if (ref === null || ref.provider !== PROVIDER_NAME[provider]) {
      return send(res, 200, isCancel ? { data: { cancelPayment: { __typename: 'InvalidInput' } } } : { data: { payment: null } });
    }
    const key = req.headers['x-idempotency-key'];
    const call = isCancel ? adapter.cancel(ref.providerPaymentId, typeof key === 'string' ? key : undefined) : adapter.read(ref.providerPaymentId);
    const response = await pool.request(call);
    const meaning = adapter.meaning(response.statusCode, await response.body.text());
    if (meaning.kind === 'ok' && 'payment' in meaning && meaning.payment.providerPaymentId === ref.providerPaymentId) {
      const payment = selectPaymentFields(meaning.payment);
      return send(res, 200, isCancel ? { data: { cancelPayment: { __typename: 'CancelPaymentSuccess', alreadyCanceled: false, payment } } } : { data: { payment } });
    }
    // Outcomes the benchmark never expects: named, not explained.
    return send(res, 200, isCancel ? { data: { cancelPayment: { __typename: meaning.kind } } } : { data: { payment: null }, errors: [{ message: meaning.kind }] });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else send(res, 502, { errors: [{ message: error instanceof Error ? error.message : 'provider call failed' }] });
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await pool.close();
    },
  };
}

async function main(): Promise<void> {
  const [sandboxUrl, provider, apiKey, apiSecret = ''] = process.argv.slice(2);
  if (!sandboxUrl || (provider !== 'primer' && provider !== 'hmac') || !apiKey) {
    throw new Error('usage: proxy.js <sandboxUrl> <primer|hmac> <apiKey> [apiSecret]');
  }
  const proxy = await startProxy(sandboxUrl, provider, apiKey, apiSecret);
  process.stdout.write(`${JSON.stringify({ url: proxy.url })}\n`);
  const stop = () => void proxy.close().then(() => process.exit(0));
  process.stdin.on('end', stop).resume();
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench proxy failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
