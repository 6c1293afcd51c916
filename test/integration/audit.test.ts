/**
 * The audit trail: one structured record per cancel attempt, under the `audit` key.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HMAC_SEED_IDS, PRIMER_SEED_IDS } from '../../src/sandboxes/index.js';
import { READ_KEY } from '../support/credentials.js';
import { CANCEL_MUTATION, globalId, startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());
beforeEach(() => {
  gw.reset();
  gw.log.lines.length = 0;
});

const audits = () => gw.log.records().filter((record) => 'audit' in record).map((record) => record['audit'] as Record<string, unknown>);

describe('audit records', () => {
  it('a successful cancel: who, which payment, why, with which key, and what came of it', async () => {
    const id = globalId('PRIMER', PRIMER_SEED_IDS.authorizedUsd);
    await gw.gql(CANCEL_MUTATION, { input: { id, reason: 'customer asked', idempotencyKey: 'audit-key-1' } }, { headers: { 'x-request-id': 'req-audit-1' } });
    expect(audits()).toEqual([
      {
        caller: 'full-service',
        requestId: 'req-audit-1',
        paymentId: id,
        provider: 'PRIMER',
        reason: 'customer asked',
        idempotencyKey: 'audit-key-1',
        outcome: 'CancelPaymentSuccess',
        statusAfter: 'CANCELED',
      },
    ]);
  });

  it.each([
    ['not cancellable', { provider: 'HMAC', providerPaymentId: HMAC_SEED_IDS.succeededThb }, 'PaymentNotCancellable', 'SUCCEEDED'],
    ['not found', { provider: 'PRIMER', providerPaymentId: 'NoSuch01' }, 'PaymentNotFound', null],
    ['invalid input', { id: 'garbage' }, 'InvalidInput', null],
  ])('%s', async (_name, input, outcome, statusAfter) => {
    await gw.gql(CANCEL_MUTATION, { input });
    expect(audits()).toEqual([expect.objectContaining({ caller: 'full-service', outcome, statusAfter })]);
  });

  it('a provider failure', async () => {
    gw.hmac.addFault({ fault: { type: 'status', status: 500 } });
    await gw.gql(CANCEL_MUTATION, { input: { id: globalId('HMAC', HMAC_SEED_IDS.requiresCaptureThb) } });
    expect(audits()).toEqual([expect.objectContaining({ outcome: 'ProviderUnavailable', provider: 'HMAC', statusAfter: null })]);
  });

  it('a caller without the cancel scope is audited too, though nothing runs', async () => {
    const id = globalId('HMAC', HMAC_SEED_IDS.requiresCaptureThb);
    await gw.gql(CANCEL_MUTATION, { input: { id, reason: 'trying' } }, { credential: READ_KEY });
    expect(audits()).toEqual([expect.objectContaining({ caller: 'support-readonly', paymentId: id, outcome: 'FORBIDDEN', reason: 'trying' })]);
    expect(gw.hmac.requests).toHaveLength(0);
  });

  it('queries are not audited as cancels', async () => {
    await gw.gql(`{ payment(id: "${globalId('HMAC', HMAC_SEED_IDS.succeededThb)}") { id } }`);
    expect(audits()).toEqual([]);
  });
});
