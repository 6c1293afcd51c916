/**
 * The provider transport against a real HTTP server that misbehaves in ways the sandboxes
 * do not: answers larger than the cap, with and without a Content-Length, and attempts that
 * stall before their headers or in their body.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderUnavailableError } from '../../src/providers/errors.js';
import { createProviderHttp, type ProviderHttp } from '../../src/providers/http.js';
import { captureLog } from '../support/log-capture.js';

const CAP = 4096;
let server: Server;
let http: ProviderHttp;
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const big = `{"id":"p1","pad":"${'x'.repeat(CAP * 4)}"}`;
    if (req.url === '/big-with-length') res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(big) }).end(big);
    else if (req.url === '/big-chunked') {
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let i = 0; i < big.length; i += 1000) res.write(big.slice(i, i + 1000));
      res.end();
    } else if (req.url === '/answer') {
      // An informational answer first, then the answer in three writes, one of them
      // splitting a two-byte character, after a byte order mark; header names in any case.
      res.writeEarlyHints({ link: '</x>; rel=preload' });
      res.writeHead(409, { 'Content-Type': 'application/json', 'X-REQUEST-ID': 'req_42', 'Retry-After': '7' });
      const bytes = Buffer.from('\uFEFF{"name":"Zo\u00eb"}', 'utf8');
      const split = bytes.indexOf(0xc3) + 1;
      res.write(bytes.subarray(0, 4));
      res.write(bytes.subarray(4, split));
      res.end(bytes.subarray(split));
    } else res.writeHead(200, { 'content-type': 'application/json' }).end(`{"id":"${'y'.repeat(CAP - 9)}"}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  http = createProviderHttp({ provider: 'PRIMER', baseUrl: new URL(`http://127.0.0.1:${port}`), logger: captureLog('warn').logger, maxResponseBytes: CAP, random: () => 0 });
});
afterAll(async () => {
  await http.close();
  await new Promise((resolve) => server.close(resolve));
});

describe('an answer over maxResponseBytes', () => {
  it.each(['/big-with-length', '/big-chunked'])('%s fails the call as unreadable_response; a read retries it, a cancel does not', async (path) => {
    seen.length = 0;
    const read = http.send({ method: 'GET', path, headers: () => ({}), retry: 'idempotent' });
    await expect(read).rejects.toBeInstanceOf(ProviderUnavailableError);
    await expect(read).rejects.toMatchObject({ failure: 'unreadable_response', retryable: true });
    expect(seen).toEqual([`GET ${path}`, `GET ${path}`, `GET ${path}`]);

    seen.length = 0;
    const cancel = http.send({ method: 'POST', path, body: '{}', headers: () => ({ 'content-type': 'application/json' }), retry: 'unprocessed-only' });
    await expect(cancel).rejects.toMatchObject({ failure: 'unreadable_response' });
    expect(seen).toEqual([`POST ${path}`]);
  });

  it('an answer within the cap is read whole', async () => {
    const response = await http.send({ method: 'GET', path: '/fits', headers: () => ({}), retry: 'idempotent' });
    expect(response.status).toBe(200);
    expect(response.body).toHaveLength(CAP);
  });
});

describe('an answer', () => {
  it('is read whole: status, body text (no byte order mark; characters split across chunks), x-request-id and retry-after whatever their case, after an informational answer', async () => {
    const response = await http.send({ method: 'POST', path: '/answer', body: '{}', headers: () => ({ 'content-type': 'application/json' }), retry: 'unprocessed-only' });
    expect(response).toEqual({ status: 409, body: '{"name":"Zo\u00eb"}', requestId: 'req_42', retryAfter: '7', attempts: 1 });
  });

  it('a request whose headers cannot be made fails the call with that error, and nothing is sent', async () => {
    seen.length = 0;
    const failure = new Error('no signing key');
    await expect(http.send({ method: 'GET', path: '/fits', headers: () => { throw failure; }, retry: 'idempotent' })).rejects.toBe(failure);
    expect(seen).toEqual([]);
  });
});

describe('per-attempt timeouts', () => {
  let stalling: Server;
  let origin: URL;
  const calls = new Map<string, number>();
  beforeAll(async () => {
    // The first request to each path stalls (no headers, or headers then no body); later ones answer.
    stalling = createServer((req, res) => {
      const n = (calls.get(req.url!) ?? 0) + 1;
      calls.set(req.url!, n);
      if (n === 1 && req.url!.startsWith('/no-headers')) return;
      res.writeHead(200, { 'content-type': 'application/json' });
      if (n === 1 && req.url!.startsWith('/no-body')) return void res.write('{"id":');
      res.end('{"id":"p1"}');
    });
    await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve));
    origin = new URL(`http://127.0.0.1:${(stalling.address() as AddressInfo).port}`);
  });
  afterAll(async () => {
    stalling.closeAllConnections();
    await new Promise((resolve) => stalling.close(resolve));
  });
  const transport = (timeouts: { headersMs: number; bodyMs: number; deadlineMs: number }) =>
    createProviderHttp({ provider: 'PRIMER', baseUrl: origin, logger: captureLog('warn').logger, timeouts: { connectMs: 1000, ...timeouts }, random: () => 0 });

  it.each(['/no-headers', '/no-body'])('shorter than the deadline, end a stalled attempt of %s, and a read tries again', async (path) => {
    const http = transport({ headersMs: 200, bodyMs: 200, deadlineMs: 4000 });
    try {
      const response = await http.send({ method: 'GET', path, headers: () => ({}), retry: 'idempotent' });
      expect(response).toMatchObject({ status: 200, body: '{"id":"p1"}', attempts: 2 });
    } finally {
      await http.close();
    }
  });

  it.each(['/no-headers-2', '/no-body-2'])('as long as the deadline, leave a stalled attempt of %s to the deadline: a timeout', async (path) => {
    const http = transport({ headersMs: 300, bodyMs: 300, deadlineMs: 300 });
    try {
      const read = http.send({ method: 'GET', path, headers: () => ({}), retry: 'idempotent' });
      await expect(read).rejects.toMatchObject({ failure: 'timeout', retryable: true });
      expect(calls.get(path)).toBe(1);
    } finally {
      await http.close();
    }
  });
});

describe('the bulkhead', () => {
  let holding: Server;
  let origin: URL;
  const held: Array<() => void> = [];
  beforeAll(async () => {
    // Holds every request until the test lets it go.
    holding = createServer((_req, res) => {
      held.push(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"p1"}'));
    });
    await new Promise<void>((resolve) => holding.listen(0, '127.0.0.1', resolve));
    origin = new URL(`http://127.0.0.1:${(holding.address() as AddressInfo).port}`);
  });
  afterAll(async () => {
    holding.closeAllConnections();
    await new Promise((resolve) => holding.close(resolve));
  });

  it('lets `bulkheadLimit` calls run and `bulkheadQueue` wait, refuses the next as overloaded (retryable) without calling, and runs the queued one later', async () => {
    const outcomes: string[] = [];
    const http = createProviderHttp({
      provider: 'PRIMER',
      baseUrl: origin,
      logger: captureLog('warn').logger,
      resilience: { bulkheadLimit: 1, bulkheadQueue: 1 },
      onAttempt: (event) => outcomes.push(event.outcome),
    });
    try {
      const read = (path: string) => http.send({ method: 'GET', path, headers: () => ({}), retry: 'idempotent' });
      const running = read('/one');
      const queued = read('/two');
      await expect(read('/three')).rejects.toMatchObject({ failure: 'overloaded', retryable: true });
      expect(outcomes).toEqual(['overloaded']);
      // Only the running call reached the provider; the queued one goes when it ends.
      await expect.poll(() => held.length).toBe(1);
      held.shift()!();
      await expect(running).resolves.toMatchObject({ status: 200 });
      await expect.poll(() => held.length).toBe(1);
      held.shift()!();
      await expect(queued).resolves.toMatchObject({ status: 200 });
      expect(outcomes).toEqual(['overloaded', '2xx', '2xx']);
    } finally {
      await http.close();
    }
  });

  it('a call that fails, or whose request cannot be made, gives its place to the next waiting; queued calls run in order', async () => {
    const http = createProviderHttp({ provider: 'PRIMER', baseUrl: origin, logger: captureLog('warn').logger, resilience: { bulkheadLimit: 1, bulkheadQueue: 3 } });
    try {
      const order: string[] = [];
      const read = (path: string, headers: () => Record<string, string> = () => ({})) =>
        http.send({ method: 'GET', path, headers, retry: 'idempotent' }).then(
          (response) => order.push(`${path} ${response.status}`),
          (error: Error) => order.push(`${path} ${error.message}`),
        );
      const first = read('/first');
      const broken = read('/broken', () => {
        throw new Error('unsigned');
      });
      const second = read('/second');
      const third = read('/third');
      await expect.poll(() => held.length).toBe(1);
      held.shift()!();
      await first;
      await broken;
      await expect.poll(() => held.length).toBe(1);
      held.shift()!();
      await second;
      await expect.poll(() => held.length).toBe(1);
      held.shift()!();
      await third;
      expect(order).toEqual(['/first 200', '/broken unsigned', '/second 200', '/third 200']);
    } finally {
      await http.close();
    }
  });

  it('a queued call whose caller leaves (the deadline aborts the same signal) leaves the queue at once, without reaching the provider', async () => {
    const http = createProviderHttp({ provider: 'PRIMER', baseUrl: origin, logger: captureLog('warn').logger, resilience: { bulkheadLimit: 1, bulkheadQueue: 1 } });
    try {
      const read = (path: string, signal?: AbortSignal) => http.send({ method: 'GET', path, headers: () => ({}), retry: 'idempotent', signal });
      const running = read('/held');
      await expect.poll(() => held.length).toBe(1);
      const caller = new AbortController();
      const queued = read('/queued', caller.signal);
      caller.abort();
      await expect(queued).rejects.toMatchObject({ failure: 'canceled_by_caller' });
      // Its place in the queue is free again: another call may wait there, and runs in turn.
      const next = read('/next');
      held.shift()!();
      await expect(running).resolves.toMatchObject({ status: 200 });
      await expect.poll(() => held.length).toBe(1);
      held.shift()!();
      await expect(next).resolves.toMatchObject({ status: 200 });
      expect(held.length).toBe(0);
    } finally {
      await http.close();
    }
  });
});

describe('an observer that throws', () => {
  it('neither leaves the call pending nor frees it twice: answers and failures still settle, and the next call runs', async () => {
    const log = captureLog('warn');
    const http = createProviderHttp({
      provider: 'PRIMER',
      baseUrl: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
      logger: log.logger,
      maxResponseBytes: CAP,
      resilience: { bulkheadLimit: 1, bulkheadQueue: 0, maxAttempts: 1 },
      onAttempt: () => {
        throw new Error('observer broke');
      },
    });
    try {
      await expect(http.send({ method: 'GET', path: '/fits', headers: () => ({}), retry: 'idempotent' })).resolves.toMatchObject({ status: 200 });
      await expect(http.send({ method: 'GET', path: '/big-with-length', headers: () => ({}), retry: 'idempotent' })).rejects.toMatchObject({ failure: 'unreadable_response' });
      await expect(http.send({ method: 'GET', path: '/fits', headers: () => ({}), retry: 'idempotent' })).resolves.toMatchObject({ status: 200 });
    } finally {
      await http.close();
    }
  });

  it('does not replace a refusal: a call refused by the open breaker is still circuit_open', async () => {
    const log = captureLog('warn');
    // Port 9 (discard) has no listener: the first call fails and opens the breaker.
    const http = createProviderHttp({
      provider: 'PRIMER',
      baseUrl: new URL('http://127.0.0.1:9'),
      logger: log.logger,
      resilience: { breakerThreshold: 1, breakerHalfOpenAfterMs: 600_000, maxAttempts: 1 },
      onAttempt: () => {
        throw new Error('observer broke');
      },
    });
    try {
      const read = () => http.send({ method: 'GET', path: '/fits', headers: () => ({}), retry: 'idempotent' });
      await expect(read()).rejects.toMatchObject({ failure: 'connection' });
      await expect(read()).rejects.toMatchObject({ failure: 'circuit_open', retryable: true });
      expect(log.records().filter((record) => record['msg'] === 'provider call observer failed')).toHaveLength(2);
    } finally {
      await http.close();
    }
  });
});
