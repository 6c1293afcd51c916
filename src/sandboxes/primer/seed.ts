/**
 * The Primer sandbox's seeded payments, stored in the v2.4 `PaymentAPIResponse` shape with
 * transaction events always present (the server drops them unless `expand` asks, and
 * reshapes for older API versions).
 *
 * Short alphanumeric ids like the spec's `kHdEw9EG`; fixed timestamps, zone-less with
 * microseconds as the real API sends them (they are UTC); two payments use the `…Z` form.
 * Every payment carries card data and a customer e-mail: the gateway must never leak them.
 */
import { createHash } from 'node:crypto';

export type PrimerWirePayment = Record<string, unknown>;

export const PRIMER_SEED_IDS = {
  /** PENDING, no requiredAction (normalized PROCESSING), 890.00 THB */
  pendingThb: 'Pq7nL2xW',
  /** PENDING with requiredAction 3DS_AUTHENTICATION (normalized REQUIRES_ACTION), 19.99 EUR */
  pendingThreeDsEur: 'T3ds9KmQ',
  /** AUTHORIZED, 10.00 USD */
  authorizedUsd: 'Au8zUs1C',
  /** AUTHORIZED, the spec's example: 42 = 0.42 EUR */
  authorizedEur: 'kHdEw9EG',
  /** AUTHORIZED, 5000 = ¥5000 (zero-decimal) */
  authorizedJpy: 'Jy5000aB',
  /** AUTHORIZED, 1234 = 1.234 KWD (three decimals) */
  authorizedKwd: 'Kw1234dN',
  /** AUTHORIZED, 12500 = 12.500 IQD (three decimals at Primer) */
  authorizedIqd: 'Iq12500z',
  /** AUTHORIZED, 450000000000 IDR minor units (beyond 2^31) */
  authorizedIdr: 'Id45bn0X',
  /** SETTLING, 150.00 USD */
  settlingUsd: 'St9gUs4D',
  /** PARTIALLY_SETTLED, 60.00 of 100.00 EUR captured */
  partiallySettledEur: 'Ps2eEu7F',
  /** SETTLED, 1250.00 USD; timestamps in the `…Z` form */
  settledUsd: 'Sd1tUs6G',
  /** DECLINED: ISSUER_DECLINED, SOFT_DECLINE, INSUFFICIENT_FUNDS */
  declinedUsd: 'Dc4dUs8H',
  /** FAILED: GATEWAY_TIMEOUT */
  failedEur: 'Fl5dEu2J',
  /** CANCELLED, with a CANCELLATION_SUCCEEDED event; timestamps in the `…Z` form */
  cancelledUsd: 'Cx6lUs9K',
  /** Status REFUND_PENDING: not in the spec's PaymentStatus enum */
  unknownStatusEur: 'Rf7pEu3M',
} as const;

const ids = PRIMER_SEED_IDS;

type EventType = 'AUTHORIZATION_SUCCEEDED' | 'CAPTURE_SUCCEEDED' | 'CANCELLATION_SUCCEEDED';

interface SeedSpec {
  id: string;
  status: string;
  currencyCode: string;
  amount: number;
  date: string;
  dateUpdated: string;
  orderId: string;
  customer: { firstName: string; lastName: string; emailAddress: string; countryCode: string };
  card: { network: string; binNetwork: string; first6: string; last4: string };
  /** Transaction events in order: [type, date, amount?, final?] */
  events: [EventType, string, number?, boolean?][];
  processorStatus?: string;
  amountCaptured?: number;
  metadata?: Record<string, unknown>;
  requiredAction?: Record<string, unknown>;
  statusReason?: Record<string, unknown>;
  reason?: string;
}

/** A stable, UUID-shaped id for the n-th event of a seeded payment. */
function eventId(paymentId: string, n: number): string {
  const hex = createHash('sha256').update(`${paymentId}:${n}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function seeded(spec: SeedSpec): PrimerWirePayment {
  const { customer, card } = spec;
  const transaction: Record<string, unknown> = {
    date: spec.date,
    amount: spec.amount,
    currencyCode: spec.currencyCode,
    orderId: spec.orderId,
    transactionType: 'SALE',
    processorTransactionId: `pi_${spec.id.toLowerCase()}0a1b2c`,
    processorName: 'STRIPE',
    processorMerchantId: 'acct_sandbox_1234',
    processorStatus: spec.processorStatus ?? spec.status,
    cardTokenType: 'CARD_PAN',
    events: spec.events.map(([type, date, amount, final], n) => ({
      id: eventId(spec.id, n),
      date,
      type,
      ...(amount === undefined ? {} : { amount }),
      ...(final === undefined ? {} : { final }),
    })),
  };
  if (spec.statusReason) transaction['processorStatusReason'] = spec.statusReason;
  if (spec.reason !== undefined) transaction['reason'] = spec.reason;

  const payment: PrimerWirePayment = {
    id: spec.id,
    date: spec.date,
    dateUpdated: spec.dateUpdated,
    status: spec.status,
    cardTokenType: 'CARD_PAN',
    orderId: spec.orderId,
    currencyCode: spec.currencyCode,
    amount: spec.amount,
    order: {
      countryCode: customer.countryCode,
      lineItems: [{ itemId: `sku-${spec.orderId}`, name: 'Sandbox item', amount: spec.amount, quantity: 1 }],
    },
    customerId: `customer-${spec.id.toLowerCase()}`,
    customer: {
      emailAddress: customer.emailAddress,
      firstName: customer.firstName,
      lastName: customer.lastName,
      billingAddress: {
        firstName: customer.firstName,
        lastName: customer.lastName,
        addressLine1: '42 Sandbox Street',
        city: 'Testville',
        countryCode: customer.countryCode,
        postalCode: '10110',
      },
    },
    metadata: spec.metadata ?? {},
    paymentMethod: {
      descriptor: `Purchase: ${spec.orderId}`,
      paymentType: 'FIRST_PAYMENT',
      paymentMethodToken: `tok_${spec.id}Vq1UcslfQc3wxNjEzOTIxNjc4`,
      isVaulted: false,
      analyticsId: `an_${spec.id}MDAxZW5isH0Hsb`,
      paymentMethodType: 'PAYMENT_CARD',
      paymentMethodData: {
        first6Digits: card.first6,
        last4Digits: card.last4,
        expirationMonth: '12',
        expirationYear: '2030',
        cardholderName: `${customer.firstName} ${customer.lastName}`,
        network: card.network,
        isNetworkTokenized: false,
        binData: {
          network: card.binNetwork,
          regionalRestriction: 'UNKNOWN',
          accountNumberType: 'PRIMARY_ACCOUNT_NUMBER',
          accountFundingType: 'CREDIT',
          prepaidReloadableIndicator: 'NOT_APPLICABLE',
          productUsageType: 'CONSUMER',
          productCode: card.binNetwork,
          productName: card.binNetwork,
        },
      },
      threeDSecureAuthentication: { responseCode: 'NOT_PERFORMED' },
      authorizationType: 'FINAL',
    },
    processor: {
      name: 'STRIPE',
      processorMerchantId: 'acct_sandbox_1234',
      amountCaptured: spec.amountCaptured ?? 0,
      amountRefunded: 0,
    },
    transactions: [transaction],
    riskData: {
      fraudChecks: { source: 'FRAUD_PROVIDER', preAuthorizationResult: 'ACCEPT', postAuthorizationResult: 'ACCEPT' },
      cvvCheck: { source: 'PROCESSOR', result: 'MATCHED' },
    },
  };
  if (spec.requiredAction) payment['requiredAction'] = spec.requiredAction;
  if (spec.statusReason) payment['statusReason'] = spec.statusReason;
  return payment;
}

const visa = { network: 'Visa', binNetwork: 'VISA', first6: '411111', last4: '1111' };
const mastercard = { network: 'Mastercard', binNetwork: 'MASTERCARD', first6: '555555', last4: '4444' };
const jane = { firstName: 'Jane', lastName: 'Doe', emailAddress: 'jane.doe@example.com', countryCode: 'US' };
const somchai = { firstName: 'Somchai', lastName: 'Jaidee', emailAddress: 'somchai.j@example.co.th', countryCode: 'TH' };
const john = { firstName: 'John', lastName: 'Biggins', emailAddress: 'customer123@example.com', countryCode: 'DE' };

export const PRIMER_SEED: readonly PrimerWirePayment[] = [
  seeded({
    id: ids.pendingThb, status: 'PENDING', currencyCode: 'THB', amount: 89000, orderId: 'order-p-1001',
    date: '2024-04-01T10:00:00.123456', dateUpdated: '2024-04-01T10:00:01.654321',
    customer: somchai, card: visa, metadata: { store: 'bangkok-01' }, events: [],
  }),
  seeded({
    id: ids.pendingThreeDsEur, status: 'PENDING', currencyCode: 'EUR', amount: 1999, orderId: 'order-p-1002',
    date: '2024-04-02T10:00:00.111111', dateUpdated: '2024-04-02T10:00:02.222222',
    customer: john, card: mastercard, events: [],
    requiredAction: {
      name: '3DS_AUTHENTICATION',
      description: 'Customer needs to perform 3DS authentication',
      clientToken: 'ctok_sandbox_eyJhbGciOiJIUzI1NiJ9.c2FuZGJveC0zZHM.sig',
    },
  }),
  seeded({
    id: ids.authorizedUsd, status: 'AUTHORIZED', currencyCode: 'USD', amount: 1000, orderId: 'order-p-1000',
    date: '2024-03-31T09:00:00.101010', dateUpdated: '2024-03-31T09:00:02.202020',
    customer: jane, card: visa, events: [['AUTHORIZATION_SUCCEEDED', '2024-03-31T09:00:02.202020', 1000]],
  }),
  seeded({
    id: ids.authorizedEur, status: 'AUTHORIZED', currencyCode: 'EUR', amount: 42, orderId: 'order-abc',
    date: '2021-02-21T15:36:16.367687', dateUpdated: '2021-02-21T15:36:17.133701',
    customer: john, card: visa, metadata: { productId: 123, merchantId: 'a13bsd62s' },
    events: [['AUTHORIZATION_SUCCEEDED', '2021-02-21T15:36:17.101010', 42]],
  }),
  seeded({
    id: ids.authorizedJpy, status: 'AUTHORIZED', currencyCode: 'JPY', amount: 5000, orderId: 'order-p-1003',
    date: '2024-04-03T01:00:00.000001', dateUpdated: '2024-04-03T01:00:03.300003',
    customer: jane, card: visa, events: [['AUTHORIZATION_SUCCEEDED', '2024-04-03T01:00:03.300003', 5000]],
  }),
  seeded({
    id: ids.authorizedKwd, status: 'AUTHORIZED', currencyCode: 'KWD', amount: 1234, orderId: 'order-p-1004',
    date: '2024-04-04T08:30:00.400000', dateUpdated: '2024-04-04T08:30:04.400004',
    customer: jane, card: mastercard, events: [['AUTHORIZATION_SUCCEEDED', '2024-04-04T08:30:04.400004', 1234]],
  }),
  seeded({
    id: ids.authorizedIqd, status: 'AUTHORIZED', currencyCode: 'IQD', amount: 12500, orderId: 'order-p-1005',
    date: '2024-04-05T08:30:00.500000', dateUpdated: '2024-04-05T08:30:05.500005',
    customer: jane, card: visa, events: [['AUTHORIZATION_SUCCEEDED', '2024-04-05T08:30:05.500005', 12500]],
  }),
  seeded({
    id: ids.authorizedIdr, status: 'AUTHORIZED', currencyCode: 'IDR', amount: 450000000000, orderId: 'order-p-1006',
    date: '2024-04-06T03:00:00.600000', dateUpdated: '2024-04-06T03:00:06.600006',
    customer: jane, card: visa, metadata: { tier: 'enterprise', invoice: 'INV-2024-0406' },
    events: [['AUTHORIZATION_SUCCEEDED', '2024-04-06T03:00:06.600006', 450000000000]],
  }),
  seeded({
    id: ids.settlingUsd, status: 'SETTLING', currencyCode: 'USD', amount: 15000, orderId: 'order-p-1007',
    date: '2024-04-07T10:00:00.700000', dateUpdated: '2024-04-07T10:05:00.700007', amountCaptured: 15000,
    customer: jane, card: visa,
    events: [
      ['AUTHORIZATION_SUCCEEDED', '2024-04-07T10:00:01.700001', 15000],
      ['CAPTURE_SUCCEEDED', '2024-04-07T10:05:00.700007', 15000, true],
    ],
  }),
  seeded({
    id: ids.partiallySettledEur, status: 'PARTIALLY_SETTLED', currencyCode: 'EUR', amount: 10000,
    orderId: 'order-p-1008', date: '2024-04-08T10:00:00.800000', dateUpdated: '2024-04-08T11:00:00.800008',
    amountCaptured: 6000, customer: john, card: mastercard,
    events: [
      ['AUTHORIZATION_SUCCEEDED', '2024-04-08T10:00:01.800001', 10000],
      ['CAPTURE_SUCCEEDED', '2024-04-08T11:00:00.800008', 6000, false],
    ],
  }),
  seeded({
    id: ids.settledUsd, status: 'SETTLED', currencyCode: 'USD', amount: 125000, orderId: 'order-p-1009',
    date: '2024-04-09T02:00:00.900000Z', dateUpdated: '2024-04-10T02:00:00.900009Z', amountCaptured: 125000,
    customer: jane, card: visa,
    events: [
      ['AUTHORIZATION_SUCCEEDED', '2024-04-09T02:00:01.900001Z', 125000],
      ['CAPTURE_SUCCEEDED', '2024-04-09T02:10:00.900002Z', 125000, true],
    ],
  }),
  seeded({
    id: ids.declinedUsd, status: 'DECLINED', currencyCode: 'USD', amount: 9900, orderId: 'order-p-1010',
    date: '2024-04-11T10:00:00.110000', dateUpdated: '2024-04-11T10:00:01.110011',
    customer: jane, card: mastercard, events: [],
    statusReason: {
      type: 'ISSUER_DECLINED',
      declineType: 'SOFT_DECLINE',
      code: 'INSUFFICIENT_FUNDS',
      message: 'Your card has insufficient funds.',
      advisedAction: 'RETRY_LATER',
    },
  }),
  seeded({
    id: ids.failedEur, status: 'FAILED', currencyCode: 'EUR', amount: 3300, orderId: 'order-p-1011',
    date: '2024-04-12T10:00:00.120000', dateUpdated: '2024-04-12T10:01:30.120012',
    customer: john, card: visa, events: [],
    statusReason: { type: 'GATEWAY_TIMEOUT', message: 'The processor did not respond in time' },
  }),
  seeded({
    id: ids.cancelledUsd, status: 'CANCELLED', currencyCode: 'USD', amount: 4500, orderId: 'order-p-1012',
    date: '2024-04-13T10:00:00.130000Z', dateUpdated: '2024-04-13T12:00:00.130013Z',
    customer: jane, card: visa, reason: 'Customer cancelled order #1012.',
    events: [
      ['AUTHORIZATION_SUCCEEDED', '2024-04-13T10:00:01.130001Z', 4500],
      ['CANCELLATION_SUCCEEDED', '2024-04-13T12:00:00.130013Z', 4500],
    ],
  }),
  seeded({
    id: ids.unknownStatusEur, status: 'REFUND_PENDING', currencyCode: 'EUR', amount: 5000, orderId: 'order-p-1013',
    date: '2024-04-14T10:00:00.140000', dateUpdated: '2024-04-15T10:00:00.140014', amountCaptured: 5000,
    customer: john, card: mastercard, processorStatus: 'SETTLED',
    events: [
      ['AUTHORIZATION_SUCCEEDED', '2024-04-14T10:00:01.140001', 5000],
      ['CAPTURE_SUCCEEDED', '2024-04-14T10:10:00.140002', 5000, true],
    ],
  }),
];
