/**
 * Idempotency keys through the real server, on both ledger backends.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLedger, createRedisLedger, type IdempotencyLedger } from '../../src/idempotency/index.js';
import { HMAC_SEED_IDS, PRIMER_SEED_IDS } from '../../src/sandboxes/index.js';
import { CANCEL_MUTATION, globalId, startTestGateway, type TestGateway } from '../support/gateway.js';

const REDIS_URL = 'redis://127.0.0.1:6379';

const BACKENDS: Array<[string, () => IdempotencyLedger]> = [
  ['in memory', () => createMemoryLedger()],
  ['in Redis', () => createRedisLedger({ url: REDIS_URL, keyPrefix: `test:${randomUUID()}:` })],
];

describe.each(BACKENDS)('idempotency keys, ledger %s', (_name, makeLedger) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ ledger: makeLedger() });
  });
  afterAll(() => gw.close());
  beforeEach(() => gw.reset());

  const cancel = async (input: Record<string, unknown>) => {
    const response = await gw.gql(CANCEL_MUTATION, { input });
    expect(response.body.errors).toBeUndefined();
    return response.body.data?.['cancelPayment'];
  };
  const calls = () => gw.hmac.requests.length + gw.primer.requests.length;

  it.each([
    ['HMAC', HMAC_SEED_IDS.requiresCaptureThb],
    ['PRIMER', PRIMER_SEED_IDS.authorizedUsd],
  ] as const)('%s: the same key again replays the first outcome unchanged and sends nothing', async (provider, id) => {
    const input = { id: globalId(provider, id), reason: 'customer asked', idempotencyKey: `key-${randomUUID()}` };
    const first = await cancel(input);
    expect(first).toMatchObject({ __typename: 'CancelPaymentSuccess', alreadyCanceled: false });
    expect(calls()).toBe(1);
    const again = await cancel(input);
    expect(again).toEqual(first);
    expect(calls()).toBe(1);
  });

  it('a definitive refusal is replayed too', async () => {
    const input = { id: globalId('PRIMER', PRIMER_SEED_IDS.settledUsd), idempotencyKey: `key-${randomUUID()}` };
    const first = await cancel(input);
    expect(first.__typename).toBe('PaymentNotCancellable');
    const before = calls();
    expect(await cancel(input)).toEqual(first);
    expect(calls()).toBe(before);
  });

  it.each([
    ['another payment', { id: globalId('HMAC', HMAC_SEED_IDS.requiresCaptureUsd) }],
    ['the same payment by provider id, another reason', { provider: 'HMAC', providerPaymentId: HMAC_SEED_IDS.requiresCaptureJpy, reason: 'other' }],
  ])('the same key for %s is refused and nothing is sent', async (_case, other) => {
    const key = `key-${randomUUID()}`;
    await cancel({ id: globalId('HMAC', HMAC_SEED_IDS.requiresCaptureJpy), reason: 'first', idempotencyKey: key });
    const before = calls();
    expect(await cancel({ ...other, idempotencyKey: key })).toEqual({
      __typename: 'IdempotencyKeyConflict',
      message: expect.stringContaining('different request'),
      idempotencyKey: key,
      retryable: false,
    });
    expect(calls()).toBe(before);
  });

  it('naming the payment by global id or by provider id is the same request', async () => {
    const key = `key-${randomUUID()}`;
    const first = await cancel({ id: globalId('PRIMER', PRIMER_SEED_IDS.authorizedJpy), idempotencyKey: key });
    expect(await cancel({ provider: 'PRIMER', providerPaymentId: PRIMER_SEED_IDS.authorizedJpy, idempotencyKey: key })).toEqual(first);
    expect(calls()).toBe(1);
  });

  it('after a retryable failure the same key may try again', async () => {
    const input = { id: globalId('PRIMER', PRIMER_SEED_IDS.authorizedKwd), idempotencyKey: `key-${randomUUID()}` };
    gw.primer.addFault({ fault: { type: 'status', status: 500 }, times: 1 });
    expect(await cancel(input)).toMatchObject({ __typename: 'ProviderUnavailable', retryable: true });
    expect(await cancel(input)).toMatchObject({ __typename: 'CancelPaymentSuccess', alreadyCanceled: false });
    expect(gw.primer.requests.map((r) => r.status)).toEqual([500, 200]);
  });

  it.each([
    ['HMAC', HMAC_SEED_IDS.processingThb],
    ['PRIMER', PRIMER_SEED_IDS.pendingThb],
  ] as const)('%s: 20 concurrent requests with one key send one cancel, and all get its outcome', async (provider, id) => {
    const sandbox = provider === 'HMAC' ? gw.hmac : gw.primer;
    // Hold the first cancel at the provider so the others arrive while it is in flight.
    sandbox.addFault({ fault: { type: 'latency', ms: 300 }, method: 'POST', times: 1 });
    const input = { id: globalId(provider, id), idempotencyKey: `key-${randomUUID()}` };
    const results = await Promise.all(Array.from({ length: 20 }, () => cancel(input)));
    expect(sandbox.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(results[0]).toMatchObject({ __typename: 'CancelPaymentSuccess', alreadyCanceled: false });
    for (const result of results) expect(result).toEqual(results[0]);
  });

  it('requests without a key are not recorded', async () => {
    const input = { id: globalId('HMAC', HMAC_SEED_IDS.requiresConfirmationThb) };
    expect(await cancel(input)).toMatchObject({ alreadyCanceled: false });
    expect(await cancel(input)).toMatchObject({ alreadyCanceled: true });
    expect(calls()).toBe(3); // cancel, then a refused cancel and its read
  });
});

describe('when Redis is down', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ ledger: createRedisLedger({ url: 'redis://127.0.0.1:6390', keyPrefix: 'test:down:' }) });
  });
  afterAll(() => gw.close());

  it('a cancel with a key is refused, retryable, and nothing is sent', async () => {
    const response = await gw.gql(CANCEL_MUTATION, { input: { id: globalId('HMAC', HMAC_SEED_IDS.requiresCaptureThb), idempotencyKey: 'k-redis-down' } });
    expect(response.body.data).toBeNull();
    expect(response.body.errors?.[0]?.extensions).toEqual({ code: 'IDEMPOTENCY_UNAVAILABLE', retryable: true, requestId: expect.any(String) });
    expect(gw.hmac.requests).toHaveLength(0);
    expect(response.text).not.toContain('6390');
  });

  it('a cancel without a key still works', async () => {
    const response = await gw.gql(CANCEL_MUTATION, { input: { id: globalId('HMAC', HMAC_SEED_IDS.requiresCaptureThb) } });
    expect(response.body.data?.['cancelPayment']).toMatchObject({ __typename: 'CancelPaymentSuccess' });
  });
});

/**
 * A memory ledger whose `complete` is held until the test lets it go: what the answer waits
 * for shows in whether it arrives meanwhile.
 */
function heldLedger() {
  const inner = createMemoryLedger();
  let entered!: () => void;
  const completeEntered = new Promise<void>((resolve) => (entered = resolve));
  let letGo!: () => void;
  const gate = new Promise<void>((resolve) => (letGo = resolve));
  const ledger: IdempotencyLedger = {
    async claim(options) {
      const claimed = await inner.claim(options);
      if (claimed.state !== 'claimed') return claimed;
      return {
        state: 'claimed',
        claim: {
          async complete(outcome) {
            entered();
            await gate;
            await claimed.claim.complete(outcome);
          },
          release: () => claimed.claim.release(),
        },
      };
    },
    healthy: () => inner.healthy(),
    close: () => inner.close(),
  };
  return { ledger, completeEntered, letGo };
}

describe.each([
  ['the lean path', true],
  ["Apollo's path", false],
])('recording a key on %s', (_name, leanPath) => {
  let gw: TestGateway;
  let held: ReturnType<typeof heldLedger>;
  beforeAll(async () => {
    held = heldLedger();
    gw = await startTestGateway({ ledger: held.ledger, leanPath });
  });
  afterAll(() => {
    held.letGo();
    return gw.close();
  });

  it(leanPath ? 'the answer does not wait for the record; a retry meanwhile waits for it and replays' : 'the answer waits for the record', async () => {
    const input = { id: globalId('PRIMER', PRIMER_SEED_IDS.authorizedEur), idempotencyKey: `key-${randomUUID()}` };
    let answered = false;
    const first = gw.gql(CANCEL_MUTATION, { input }).then((response) => {
      answered = true;
      return response;
    });
    await held.completeEntered;
    // A request sent now is answered after anything the gateway had already written.
    await gw.gql(`{ payment(id: "${globalId('PRIMER', PRIMER_SEED_IDS.settledUsd)}") { status } }`);
    expect(answered).toBe(leanPath);
    // The audit record is written with the answer: on Apollo's path, after the ledger's.
    const audits = () => gw.log.records().filter((record) => 'audit' in record);
    expect(audits()).toHaveLength(leanPath ? 1 : 0);

    const retry = gw.gql(CANCEL_MUTATION, { input });
    held.letGo();
    const [firstAnswer, retryAnswer] = await Promise.all([first, retry]);
    expect(firstAnswer.body.data?.['cancelPayment']).toMatchObject({ __typename: 'CancelPaymentSuccess', alreadyCanceled: false });
    expect(retryAnswer.body.data?.['cancelPayment']).toEqual(firstAnswer.body.data?.['cancelPayment']);
    expect(gw.primer.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
    expect(audits().map((record) => record['audit'])).toEqual([
      expect.objectContaining({ idempotencyKey: input.idempotencyKey, outcome: 'CancelPaymentSuccess', statusAfter: 'CANCELED' }),
      expect.objectContaining({ idempotencyKey: input.idempotencyKey, outcome: 'CancelPaymentSuccess', statusAfter: 'CANCELED' }),
    ]);
  });
});
