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

describe('audit records whatever LOG_LEVEL says', () => {
  it.each(['warn', 'silent'])('LOG_LEVEL=%s: diagnostics are quiet, every cancel attempt is still recorded', async (level) => {
    const quiet = await startTestGateway({ logLevel: level });
    try {
      const id = globalId('PRIMER', PRIMER_SEED_IDS.authorizedUsd);
      await quiet.gql(CANCEL_MUTATION, { input: { id, reason: 'customer asked' } });
      await quiet.gql(CANCEL_MUTATION, { input: { id } }, { credential: READ_KEY });
      // A failure logged at warn: shown at warn, not when silent.
      quiet.hmac.addFault({ fault: { type: 'status', status: 500 } });
      await quiet.gql(CANCEL_MUTATION, { input: { id: globalId('HMAC', HMAC_SEED_IDS.requiresCaptureThb) } });
      const records = quiet.log.records();
      expect(records.filter((record) => 'audit' in record).map((record) => record['audit'])).toEqual([
        expect.objectContaining({ caller: 'full-service', paymentId: id, outcome: 'CancelPaymentSuccess', statusAfter: 'CANCELED' }),
        expect.objectContaining({ caller: 'support-readonly', paymentId: id, outcome: 'FORBIDDEN' }),
        expect.objectContaining({ provider: 'HMAC', outcome: 'ProviderUnavailable' }),
      ]);
      // Nothing else at info (the request lines).
      const others = records.filter((record) => !('audit' in record));
      expect(others.filter((record) => (record['level'] as number) < 40)).toEqual([]);
      if (level === 'silent') expect(others).toEqual([]);
      else expect(others).toContainEqual(expect.objectContaining({ provider: 'HMAC', msg: 'provider unavailable' }));
    } finally {
      await quiet.close();
    }
  });
});
