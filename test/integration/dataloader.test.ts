import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HMAC_SEED_IDS, PRIMER_SEED_IDS } from '../../src/sandboxes/index.js';
import { CANCEL_MUTATION, globalId, startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());
beforeEach(() => gw.reset());

describe('one provider call per payment per operation', () => {
  it('the same payment asked for five ways costs one read', async () => {
    const id = globalId('PRIMER', PRIMER_SEED_IDS.authorizedUsd);
    const response = await gw.gql(
      `query ($id: ID!) {
        a: payment(id: $id) { status }
        b: payment(id: $id) { amount { amount } }
        c: node(id: $id) { id }
        d: paymentByProviderId(provider: PRIMER, providerPaymentId: "${PRIMER_SEED_IDS.authorizedUsd}") { id }
        e: payments(ids: [$id, $id]) { id }
      }`,
      { id },
    );
    expect(response.body.errors).toBeUndefined();
    expect(gw.primer.requests).toHaveLength(1);
  });

  it('distinct payments cost one read each, across providers', async () => {
    const ids = [
      globalId('PRIMER', PRIMER_SEED_IDS.authorizedUsd),
      globalId('HMAC', HMAC_SEED_IDS.succeededThb),
      globalId('PRIMER', PRIMER_SEED_IDS.settledUsd),
      globalId('HMAC', HMAC_SEED_IDS.succeededThb),
    ];
    await gw.gql('query ($ids: [ID!]!) { payments(ids: $ids) { id } }', { ids });
    expect(gw.primer.requests.map((r) => r.path).sort()).toEqual([`/payments/${PRIMER_SEED_IDS.authorizedUsd}`, `/payments/${PRIMER_SEED_IDS.settledUsd}`]);
    expect(gw.hmac.requests).toHaveLength(1);
  });

  it('each operation reads afresh: nothing is cached between requests', async () => {
    const query = `{ payment(id: "${globalId('HMAC', HMAC_SEED_IDS.succeededThb)}") { id } }`;
    await gw.gql(query);
    await gw.gql(query);
    expect(gw.hmac.requests).toHaveLength(2);
  });

  it('a successful cancel needs no extra read, whatever payment fields are selected', async () => {
    for (const [provider, id, sandbox] of [
      ['HMAC', HMAC_SEED_IDS.requiresCaptureThb, () => gw.hmac],
      ['PRIMER', PRIMER_SEED_IDS.authorizedUsd, () => gw.primer],
    ] as const) {
      const response = await gw.gql(CANCEL_MUTATION, { input: { id: globalId(provider, id) } });
      expect(response.body.data?.['cancelPayment'].__typename).toBe('CancelPaymentSuccess');
      expect(sandbox().requests.map((r) => r.method)).toEqual(['POST']);
    }
  });

  it('a refused cancel reads the payment once to report its current state', async () => {
    await gw.gql(CANCEL_MUTATION, { input: { id: globalId('HMAC', HMAC_SEED_IDS.succeededThb) } });
    expect(gw.hmac.requests.map((r) => [r.method, r.status])).toEqual([['POST', 400], ['GET', 200]]);
  });
});
