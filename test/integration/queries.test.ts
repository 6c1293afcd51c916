import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HMAC_SEED_IDS, PRIMER_SEED_IDS } from '../../src/sandboxes/index.js';
import { globalId, PAYMENT_FIELDS, startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());
beforeEach(() => gw.reset());

const PAYMENT_QUERY = `query ($id: ID!) { payment(id: $id) { ${PAYMENT_FIELDS} } }`;

async function payment(provider: 'HMAC' | 'PRIMER', id: string) {
  const response = await gw.gql(PAYMENT_QUERY, { id: globalId(provider, id) });
  expect(response.status).toBe(200);
  expect(response.body.errors).toBeUndefined();
  return response.body.data?.['payment'];
}

describe('every HMAC status, normalized by the DESIGN table', () => {
  it.each([
    [HMAC_SEED_IDS.requiresPaymentMethodThb, 'requires_payment_method', 'REQUIRES_PAYMENT_METHOD', true],
    [HMAC_SEED_IDS.requiresConfirmationThb, 'requires_confirmation', 'REQUIRES_CONFIRMATION', true],
    [HMAC_SEED_IDS.requiresActionThb, 'requires_action', 'REQUIRES_ACTION', true],
    [HMAC_SEED_IDS.processingThb, 'processing', 'PROCESSING', true],
    [HMAC_SEED_IDS.requiresCaptureThb, 'requires_capture', 'AUTHORIZED', true],
    [HMAC_SEED_IDS.succeededThb, 'succeeded', 'SUCCEEDED', false],
    [HMAC_SEED_IDS.canceledThb, 'canceled', 'CANCELED', false],
    [HMAC_SEED_IDS.expiredThb, 'expired', 'EXPIRED', false],
    [HMAC_SEED_IDS.paymentFailedThb, 'payment_failed', 'FAILED', false],
    [HMAC_SEED_IDS.unknownStatusThb, 'on_hold', 'UNKNOWN', false],
  ])('%s: %s is %s (cancellable: %s)', async (id, providerStatus, status, isCancellable) => {
    expect(await payment('HMAC', id)).toMatchObject({
      id: globalId('HMAC', id),
      provider: 'HMAC',
      providerPaymentId: id,
      providerStatus,
      status,
      isCancellable,
    });
  });

  it('logs an unknown status with its raw value', async () => {
    await payment('HMAC', HMAC_SEED_IDS.unknownStatusThb);
    expect(gw.log.records()).toContainEqual(expect.objectContaining({ level: 40, provider: 'HMAC', providerStatus: 'on_hold' }));
  });
});

describe('every Primer status, normalized by the DESIGN table', () => {
  it.each([
    [PRIMER_SEED_IDS.pendingThb, 'PENDING', 'PROCESSING', true],
    [PRIMER_SEED_IDS.pendingThreeDsEur, 'PENDING', 'REQUIRES_ACTION', true],
    [PRIMER_SEED_IDS.authorizedUsd, 'AUTHORIZED', 'AUTHORIZED', true],
    [PRIMER_SEED_IDS.settlingUsd, 'SETTLING', 'SETTLING', false],
    [PRIMER_SEED_IDS.partiallySettledEur, 'PARTIALLY_SETTLED', 'PARTIALLY_SETTLED', false],
    [PRIMER_SEED_IDS.settledUsd, 'SETTLED', 'SUCCEEDED', false],
    [PRIMER_SEED_IDS.declinedUsd, 'DECLINED', 'DECLINED', false],
    [PRIMER_SEED_IDS.failedEur, 'FAILED', 'FAILED', false],
    [PRIMER_SEED_IDS.cancelledUsd, 'CANCELLED', 'CANCELED', false],
    [PRIMER_SEED_IDS.unknownStatusEur, 'REFUND_PENDING', 'UNKNOWN', false],
  ])('%s: %s is %s (cancellable: %s)', async (id, providerStatus, status, isCancellable) => {
    expect(await payment('PRIMER', id)).toMatchObject({ provider: 'PRIMER', providerPaymentId: id, providerStatus, status, isCancellable });
  });

  it('gives a decline its reason, and Primer no description', async () => {
    expect(await payment('PRIMER', PRIMER_SEED_IDS.declinedUsd)).toMatchObject({
      description: null,
      statusReason: { type: 'ISSUER_DECLINED', declineType: 'SOFT_DECLINE' },
      paymentMethod: 'PAYMENT_CARD',
    });
  });
});

describe('money', () => {
  it.each([
    ['HMAC', HMAC_SEED_IDS.requiresCaptureThb, { amount: '1000.00', currencyCode: 'THB', minorUnits: 100000 }],
    ['HMAC', HMAC_SEED_IDS.requiresCaptureUsd, { amount: '12.34', currencyCode: 'USD', minorUnits: 1234 }],
    ['HMAC', HMAC_SEED_IDS.requiresCaptureJpy, { amount: '500', currencyCode: 'JPY', minorUnits: 500 }],
    ['HMAC', HMAC_SEED_IDS.processingKwd, { amount: '1.234', currencyCode: 'KWD', minorUnits: 1234 }],
    ['HMAC', HMAC_SEED_IDS.requiresCaptureLargeThb, { amount: '30000000.00', currencyCode: 'THB', minorUnits: 3_000_000_000 }],
    ['HMAC', HMAC_SEED_IDS.requiresConfirmationIdr, { amount: '45000000000.00', currencyCode: 'IDR', minorUnits: 4_500_000_000_000 }],
    ['PRIMER', PRIMER_SEED_IDS.authorizedUsd, { amount: '10.00', currencyCode: 'USD', minorUnits: 1000 }],
    ['PRIMER', PRIMER_SEED_IDS.authorizedJpy, { amount: '5000', currencyCode: 'JPY', minorUnits: 5000 }],
    ['PRIMER', PRIMER_SEED_IDS.authorizedKwd, { amount: '1.234', currencyCode: 'KWD', minorUnits: 1234 }],
    ['PRIMER', PRIMER_SEED_IDS.authorizedIqd, { amount: '12.500', currencyCode: 'IQD', minorUnits: 12500 }],
    ['PRIMER', PRIMER_SEED_IDS.authorizedIdr, { amount: '4500000000.00', currencyCode: 'IDR', minorUnits: 450_000_000_000 }],
  ] as const)('%s %s', async (provider, id, money) => {
    expect((await payment(provider, id)).amount).toEqual(money);
  });

  it('sends minorUnits beyond 2^31 as an exact JSON integer', async () => {
    const response = await gw.gql(`{ payment(id: "${globalId('PRIMER', PRIMER_SEED_IDS.authorizedIdr)}") { amount { minorUnits } } }`);
    expect(response.text).toContain('"minorUnits":450000000000');
  });

  it('treats an amount beyond 2^53-1 minor units as an unreadable response, not a rounded one', async () => {
    gw.primer.putPayment({ ...gw.primer.getPayment(PRIMER_SEED_IDS.authorizedUsd), id: 'Huge0001', amount: 2 ** 53 + 2 });
    const response = await gw.gql(PAYMENT_QUERY, { id: globalId('PRIMER', 'Huge0001') });
    expect(response.body.data?.['payment']).toBeNull();
    expect(response.body.errors?.[0]?.extensions).toEqual({ code: 'PROVIDER_UNAVAILABLE', provider: 'PRIMER', retryable: true, requestId: expect.any(String) });
    expect(response.text).not.toContain('9007199254741');
    expect(gw.log.records()).toContainEqual(expect.objectContaining({ failure: 'unreadable_response', problem: expect.stringContaining('amount') }));
  });

  it('refuses an HMAC amount with more digits than its currency has', async () => {
    gw.hmac.putPayment({ ...gw.hmac.getPayment(HMAC_SEED_IDS.requiresCaptureUsd), amount: '12.345' });
    const response = await gw.gql(PAYMENT_QUERY, { id: globalId('HMAC', HMAC_SEED_IDS.requiresCaptureUsd) });
    expect(response.body.data?.['payment']).toBeNull();
    expect(response.body.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
  });
});

describe('time', () => {
  it('reads Primer zone-less timestamps as UTC, whatever the server time zone', async () => {
    const raw = gw.primer.getPayment(PRIMER_SEED_IDS.authorizedUsd) as { date: string; dateUpdated: string };
    expect(raw.date).not.toMatch(/Z|[+-]\d\d:\d\d$/);
    const read = await payment('PRIMER', PRIMER_SEED_IDS.authorizedUsd);
    expect(read.createdAt).toBe(`${raw.date.slice(0, 23)}Z`);
    expect(read.updatedAt).toBe(`${raw.dateUpdated.slice(0, 23)}Z`);
  });

  it('keeps timestamps that already carry Z', async () => {
    const raw = gw.primer.getPayment(PRIMER_SEED_IDS.settledUsd) as { date: string };
    expect(raw.date.endsWith('Z')).toBe(true);
    expect((await payment('PRIMER', PRIMER_SEED_IDS.settledUsd)).createdAt).toBe(new Date(raw.date).toISOString());
  });

  it('gives HMAC timestamps in UTC, canceledAt included', async () => {
    expect(await payment('HMAC', HMAC_SEED_IDS.canceledThb)).toMatchObject({
      createdAt: '2024-02-06T09:00:00.000Z',
      updatedAt: '2024-02-06T09:10:00.000Z',
      canceledAt: '2024-02-06T09:10:00.000Z',
    });
  });
});

describe('lookups', () => {
  it('paymentByProviderId and node find the same payment as payment(id)', async () => {
    const id = globalId('PRIMER', PRIMER_SEED_IDS.settledUsd);
    const response = await gw.gql(`{
      a: paymentByProviderId(provider: PRIMER, providerPaymentId: "${PRIMER_SEED_IDS.settledUsd}") { id status }
      b: node(id: "${id}") { __typename id ... on Payment { providerPaymentId } }
    }`);
    expect(response.body).toEqual({
      data: {
        a: { id, status: 'SUCCEEDED' },
        b: { __typename: 'Payment', id, providerPaymentId: PRIMER_SEED_IDS.settledUsd },
      },
    });
  });

  it('a missing payment or a malformed id is null without errors', async () => {
    const response = await gw.gql(`{
      missingHmac: payment(id: "${globalId('HMAC', '00000000-0000-4000-8000-000000000000')}") { id }
      missingPrimer: payment(id: "${globalId('PRIMER', 'NoSuch01')}") { id }
      malformed: payment(id: "not-a-global-id") { id }
      node(id: "${Buffer.from('Payment:STRIPE:pi_1').toString('base64url')}") { id }
      byProvider: paymentByProviderId(provider: HMAC, providerPaymentId: "../etc") { id }
    }`);
    expect(response.body).toEqual({ data: { missingHmac: null, missingPrimer: null, malformed: null, node: null, byProvider: null } });
  });

  it('payments(ids:) keeps order and gives null for missing and malformed ids', async () => {
    const ids = [
      globalId('PRIMER', PRIMER_SEED_IDS.authorizedUsd),
      globalId('HMAC', '00000000-0000-4000-8000-000000000000'),
      'garbage',
      globalId('HMAC', HMAC_SEED_IDS.succeededThb),
      globalId('PRIMER', PRIMER_SEED_IDS.authorizedUsd),
    ];
    const response = await gw.gql('query ($ids: [ID!]!) { payments(ids: $ids) { id status } }', { ids });
    expect(response.body).toEqual({
      data: {
        payments: [
          { id: ids[0], status: 'AUTHORIZED' },
          null,
          null,
          { id: ids[3], status: 'SUCCEEDED' },
          { id: ids[0], status: 'AUTHORIZED' },
        ],
      },
    });
  });

  it('never returns card data, tokens, customer e-mail or client secrets', async () => {
    const response = await gw.gql(
      'query ($ids: [ID!]!) { payments(ids: $ids) { metadata reference description paymentMethod statusReason { message code } } }',
      { ids: [globalId('PRIMER', PRIMER_SEED_IDS.authorizedUsd), globalId('PRIMER', PRIMER_SEED_IDS.pendingThreeDsEur), globalId('HMAC', HMAC_SEED_IDS.requiresActionThb)] },
    );
    const primer = gw.primer.getPayment(PRIMER_SEED_IDS.authorizedUsd) as any;
    const threeDs = gw.primer.getPayment(PRIMER_SEED_IDS.pendingThreeDsEur) as any;
    const hmac = gw.hmac.getPayment(HMAC_SEED_IDS.requiresActionThb) as any;
    for (const secret of [
      primer.customer.emailAddress,
      primer.paymentMethod.paymentMethodToken,
      primer.paymentMethod.paymentMethodData.cardholderName,
      `${primer.paymentMethod.paymentMethodData.first6Digits}`,
      threeDs.requiredAction.clientToken,
      hmac.clientSecret,
    ]) {
      expect(secret).toBeTruthy();
      expect(response.text).not.toContain(secret);
    }
  });
});
