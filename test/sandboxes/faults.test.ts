import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createHmacSandbox,
  createPrimerSandbox,
  PRIMER_SEED_IDS,
  type HmacSandbox,
  type PrimerSandbox,
} from '../../src/sandboxes/index.js';

let primer: PrimerSandbox;
let hmac: HmacSandbox;

beforeEach(async () => {
  [primer, hmac] = await Promise.all([createPrimerSandbox(), createHmacSandbox()]);
});
afterEach(async () => {
  await Promise.all([primer.close(), hmac.close()]);
});

const paymentPath = `/payments/${PRIMER_SEED_IDS.authorizedEur}`;

/** An authenticated Primer read: a request that normally succeeds with 200. */
function readPrimer(opts: { headersTimeout?: number; path?: string } = {}) {
  return request(`${primer.url}${opts.path ?? paymentPath}`, {
    headers: { 'x-api-key': primer.apiKey, 'x-api-version': '2.4' },
    ...(opts.headersTimeout === undefined ? {} : { headersTimeout: opts.headersTimeout }),
  });
}

async function readPrimerText() {
  const res = await readPrimer();
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

describe('faults', () => {
  it('latency delays, then answers normally', async () => {
    primer.addFault({ fault: { type: 'latency', ms: 150 } });
    const started = performance.now();
    const res = await readPrimerText();
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).id).toBe(PRIMER_SEED_IDS.authorizedEur);
    expect(primer.requests[0]!.status).toBe(200);
  });

  it('status answers in the HMAC provider envelope, with Retry-After when given', async () => {
    hmac.addFault({ fault: { type: 'status', status: 503, retryAfter: '7' }, times: 1 });
    hmac.addFault({ fault: { type: 'status', status: 429, retryAfter: '2' }, times: 1 });
    hmac.addFault({ fault: { type: 'status', status: 500 }, times: 1 });
    const expected = [
      [503, 'SERVICE_UNAVAILABLE', '7'],
      [429, 'RATE_LIMITED', '2'],
      [500, 'INTERNAL_ERROR', undefined],
    ] as const;
    for (const [status, code, retryAfter] of expected) {
      const res = await request(`${hmac.url}/api/v1/payments/x`);
      const body = (await res.body.json()) as any;
      expect(res.statusCode).toBe(status);
      expect(body).toMatchObject({ success: false, error: { code } });
      expect(res.headers['retry-after']).toBe(retryAfter);
    }
    expect(hmac.requests.map((r) => r.status)).toEqual([503, 429, 500]);
  });

  it('status answers in Primer style: JSON errors, and an HTML page for 502', async () => {
    primer.addFault({ fault: { type: 'status', status: 502 }, times: 1 });
    primer.addFault({ fault: { type: 'status', status: 504 }, times: 1 });
    const badGateway = await readPrimerText();
    expect(badGateway.status).toBe(502);
    expect(badGateway.headers['content-type']).toBe('text/html');
    expect(badGateway.text).toContain('502 Bad Gateway');
    const timeout = await readPrimerText();
    expect(timeout.status).toBe(504);
    expect(JSON.parse(timeout.text).error.errorId).toEqual(expect.any(String));
  });

  it('malformed-json answers 200 JSON that does not parse', async () => {
    primer.addFault({ fault: { type: 'malformed-json' } });
    const res = await readPrimerText();
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(() => JSON.parse(res.text)).toThrow();
  });

  it('truncated sends 200 headers, then fewer bytes than promised, then drops the connection', async () => {
    primer.addFault({ fault: { type: 'truncated' } });
    const res = await readPrimer();
    expect(res.statusCode).toBe(200);
    expect(Number(res.headers['content-length'])).toBeGreaterThan(0);
    await expect(res.body.text()).rejects.toThrow();
    expect(primer.requests[0]!.status).toBe(200);
  });

  it('reset destroys the socket without answering', async () => {
    primer.addFault({ fault: { type: 'reset' } });
    await expect(readPrimer()).rejects.toThrow();
    expect(primer.requests).toHaveLength(1);
    expect(primer.requests[0]!.status).toBe(0);
  });

  it('hang never answers until the client gives up', async () => {
    primer.addFault({ fault: { type: 'hang' } });
    await expect(readPrimer({ headersTimeout: 200 })).rejects.toThrow();
    expect(primer.requests[0]!.status).toBe(0);
  });

  it('close() does not hang with a hung request outstanding', async () => {
    primer.addFault({ fault: { type: 'hang' } });
    const outstanding = readPrimer();
    outstanding.catch(() => undefined);
    await vi.waitFor(() => expect(primer.requests).toHaveLength(1));
    await primer.close();
    await expect(outstanding).rejects.toThrow();
  });

  it('close() does not wait for a latency fault either, and is safe to call twice', async () => {
    primer.addFault({ fault: { type: 'latency', ms: 60_000 } });
    const outstanding = readPrimer();
    outstanding.catch(() => undefined);
    await vi.waitFor(() => expect(primer.requests).toHaveLength(1));
    await Promise.all([primer.close(), primer.close()]);
    await expect(outstanding).rejects.toThrow();
  });
});

describe('fault rules', () => {
  it('apply `times` times, then requests are answered normally', async () => {
    primer.addFault({ fault: { type: 'status', status: 500 }, times: 2 });
    expect((await readPrimerText()).status).toBe(500);
    expect((await readPrimerText()).status).toBe(500);
    expect((await readPrimerText()).status).toBe(200);
  });

  it('match on method and path, first matching rule in insertion order wins', async () => {
    primer.addFault({ fault: { type: 'status', status: 503 }, method: 'post' });
    primer.addFault({ fault: { type: 'status', status: 429 }, pathIncludes: 'expand=' , times: 1 });
    primer.addFault({ fault: { type: 'status', status: 500 }, pathIncludes: 'expand=' });
    expect((await readPrimerText()).status).toBe(200);
    const expanded = `${paymentPath}?expand=transactions.events`;
    const first = await readPrimer({ path: expanded });
    expect(first.statusCode).toBe(429);
    await first.body.text();
    const second = await readPrimer({ path: expanded });
    expect(second.statusCode).toBe(500);
    await second.body.text();
    const post = await request(`${primer.url}${paymentPath}/cancel`, { method: 'POST' });
    expect(post.statusCode).toBe(503);
    await post.body.text();
  });

  it('are recorded before the fault applies and before authentication', async () => {
    hmac.addFault({ fault: { type: 'status', status: 502 } });
    const res = await request(`${hmac.url}/api/v1/payments/abc/cancel`, { method: 'POST', body: 'raw' });
    expect(res.statusCode).toBe(502);
    await res.body.text();
    expect(hmac.requests).toEqual([
      expect.objectContaining({ method: 'POST', path: '/api/v1/payments/abc/cancel', body: 'raw', status: 502 }),
    ]);
  });

  it('clearFaults() and reset() remove them', async () => {
    primer.addFault({ fault: { type: 'status', status: 500 } });
    primer.clearFaults();
    expect((await readPrimerText()).status).toBe(200);
    primer.addFault({ fault: { type: 'status', status: 500 } });
    primer.reset();
    expect((await readPrimerText()).status).toBe(200);
  });

  it('are validated', () => {
    expect(() => primer.addFault({ fault: { type: 'status', status: 99 } })).toThrow();
    expect(() => primer.addFault({ fault: { type: 'latency', ms: -1 } })).toThrow();
    expect(() => primer.addFault({ fault: { type: 'nope' } as never })).toThrow();
    expect(() => primer.addFault({ fault: { type: 'reset' }, times: 0 })).toThrow();
  });
});

describe('control routes over HTTP', () => {
  async function control(method: string, path: string, body?: unknown) {
    const res = await request(`${primer.url}${path}`, {
      method: method as 'GET',
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await res.body.text();
    return { status: res.statusCode, json: text === '' ? undefined : (JSON.parse(text) as any) };
  }

  it('add and clear faults, read and clear the log, and are neither recorded nor faulted', async () => {
    expect((await control('POST', '/_sandbox/faults', { fault: { type: 'status', status: 503 }, times: 1 })).status).toBe(204);
    expect((await control('GET', '/_sandbox/requests')).json).toEqual([]);
    expect((await readPrimerText()).status).toBe(503);
    expect((await readPrimerText()).status).toBe(200);

    const log = await control('GET', '/_sandbox/requests');
    expect(log.status).toBe(200);
    expect(log.json.map((r: any) => [r.method, r.path, r.status])).toEqual([
      ['GET', paymentPath, 503],
      ['GET', paymentPath, 200],
    ]);
    expect((await control('DELETE', '/_sandbox/requests')).status).toBe(204);
    expect(primer.requests).toEqual([]);

    await control('POST', '/_sandbox/faults', { fault: { type: 'reset' } });
    expect((await control('DELETE', '/_sandbox/faults')).status).toBe(204);
    expect((await readPrimerText()).status).toBe(200);
  });

  it('reject an invalid fault rule with 400', async () => {
    const res = await control('POST', '/_sandbox/faults', { fault: { type: 'latency' } });
    expect(res.status).toBe(400);
    expect(res.json.error).toContain('ms');
    expect((await control('POST', '/_sandbox/faults', 'not a rule')).status).toBe(400);
    expect((await control('GET', '/_sandbox/nothing')).status).toBe(404);
  });

  it('POST /_sandbox/reset restores the seed', async () => {
    const cancel = await request(`${primer.url}${paymentPath}/cancel`, {
      method: 'POST',
      headers: { 'x-api-key': primer.apiKey, 'x-api-version': '2.4' },
    });
    expect(cancel.statusCode).toBe(200);
    await cancel.body.text();
    expect((await control('POST', '/_sandbox/reset')).status).toBe(204);
    expect(primer.getPayment(PRIMER_SEED_IDS.authorizedEur)!['status']).toBe('AUTHORIZED');
    expect(primer.requests).toEqual([]);
  });
});

describe('request bodies', () => {
  it('answers an oversized body with 413 in the provider style', async () => {
    const res = await request(`${hmac.url}/api/v1/payments/abc/cancel`, { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) });
    expect(res.statusCode).toBe(413);
    expect(((await res.body.json()) as any).success).toBe(false);
    expect(hmac.requests[0]!.status).toBe(413);
  });
});
