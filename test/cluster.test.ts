/**
 * WEB_CONCURRENCY: several worker processes behind one port, sharing the primary's sandboxes
 * and development key, and Redis for idempotency keys and rate limits.
 */
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { HMAC_SEED_IDS } from '../src/sandboxes/index.js';
import { globalId } from './support/gateway.js';
import { killAll, runGateway } from './support/process.js';

afterEach(killAll);

const REDIS_URL = 'redis://127.0.0.1:6379';

/** One request on a connection of its own, so that the cluster hands it to the next worker. */
async function healthPid(base: string): Promise<number> {
  const response = await request(`${base}/healthz`, { headers: { connection: 'close' } });
  return ((await response.body.json()) as { pid: number }).pid;
}

/** A GraphQL POST on a connection of its own (so consecutive ones go to different workers). */
async function gql(url: string, query: string, key: string | undefined) {
  const response = await request(url, {
    method: 'POST',
    headers: { connection: 'close', 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query }),
  });
  return response.body.json();
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('WEB_CONCURRENCY=2', () => {
  it('two workers answer on one port, share the sandboxes and the key, and all stop on SIGTERM', async () => {
    const gateway = runGateway({ WEB_CONCURRENCY: '2', REDIS_URL });
    const url = await gateway.graphqlUrl();
    const pids = /Workers: 2 processes share the port \(pids (\d+), (\d+)\)/.exec(gateway.stdout())?.slice(1).map(Number);
    expect(pids).toHaveLength(2);
    const base = url.replace(/\/graphql$/, '');
    const answered = new Set<number>();
    for (let i = 0; i < 6; i += 1) answered.add(await healthPid(base));
    expect([...answered].sort()).toEqual([...pids!].sort());

    // The development key is the same in every worker; the sandboxes are the primary's, so a
    // cancel through one worker is seen by a read through the other.
    const key = /Development API key \(every scope, sandboxes only\): (\S+)/.exec(gateway.stdout())?.[1];
    const id = globalId('HMAC', HMAC_SEED_IDS.requiresCaptureThb);
    expect(await gql(url, `mutation { cancelPayment(input: { id: "${id}" }) { __typename } }`, key)).toEqual({
      data: { cancelPayment: { __typename: 'CancelPaymentSuccess' } },
    });
    for (let i = 0; i < 2; i += 1) expect(await gql(url, `{ payment(id: "${id}") { status } }`, key)).toEqual({ data: { payment: { status: 'CANCELED' } } });

    expect(await gateway.stop()).toBe(0);
    for (const pid of pids!) expect(alive(pid)).toBe(false);
    expect(gateway.stderr()).toBe('');
  }, 60_000);

  it('refuses to start without REDIS_URL, naming the variable', async () => {
    const gateway = runGateway({ WEB_CONCURRENCY: '2' });
    expect(await gateway.exit()).toBe(2);
    expect(gateway.stderr()).toMatch(/^Invalid configuration: WEB_CONCURRENCY .*REDIS_URL/);
  });
});
