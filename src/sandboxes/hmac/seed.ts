/**
 * The HMAC sandbox's seeded payments: fixed UUIDs and fixed timestamps, at least one payment
 * in every documented status plus one unknown status, several currencies (including zero-
 * and three-decimal ones) and amounts beyond 2^31 minor units.
 *
 * Wire shape exactly as the provider's cancel document shows `data`; `amount` is a
 * major-unit decimal string.
 */

export type HmacWirePayment = {
  id: string;
  amount: string;
  currency: string;
  status: string;
  paymentMethod: string;
  referenceId: string;
  description: string | null;
  metadata: Record<string, string>;
  /** A secret for the paying client: the gateway must never expose it. */
  clientSecret: string | null;
  nextAction: Record<string, unknown> | null;
  confirmedAt: string | null;
  capturedAt: string | null;
  canceledAt: string | null;
  expiresAt: string | null;
  createdAt: string;
  updatedAt: string;
};

export const HMAC_SEED_IDS = {
  /** The cancel document's own example: 1000.00 THB promptpay, awaiting the QR scan (nextAction set). */
  requiresActionThb: '550e8400-e29b-41d4-a716-446655440000',
  requiresPaymentMethodThb: 'c001db22-25d2-4f28-be12-b477db094e36',
  requiresConfirmationThb: 'bd99f121-6e50-46b0-9cee-b1ad6276c87c',
  processingThb: 'cd82b52c-9aea-4579-b3a4-3137ef430357',
  requiresCaptureThb: 'ca0152b7-cb5d-4fd3-a9a5-163e299f66cf',
  succeededThb: '5068e451-5d07-405f-a09c-15d43668fbea',
  canceledThb: '7ee28128-a50c-4836-9da8-751d062f9bd5',
  expiredThb: '592a1a63-2bee-418f-90b0-695be902ab46',
  paymentFailedThb: '8781f26f-de80-4a78-bfba-399dc12f95cc',
  /** Status `on_hold`: not in the document's vocabulary. */
  unknownStatusThb: 'b1a7edbf-f6eb-44da-b5ee-243d94b2204e',
  /** "12.34" USD */
  requiresCaptureUsd: 'd3576e60-1a64-479c-b8f2-1e86742f6357',
  /** "500" JPY (zero-decimal) */
  requiresCaptureJpy: '6f568c10-4ed1-4b40-af74-aafe84d2eaf9',
  /** "1.234" KWD (three decimals) */
  processingKwd: '8a65eeec-7586-4ff2-aad1-ed6383e91329',
  /** "30000000.00" THB = 3,000,000,000 satang, beyond 2^31 */
  requiresCaptureLargeThb: '0bcb1547-c6c6-446d-98a9-ce68729ee4f6',
  /** "45000000000.00" IDR, beyond 2^31 minor units */
  requiresConfirmationIdr: 'a84cb7f6-8bed-47de-a1f4-0bd35c8ee7cb',
} as const;

const ids = HMAC_SEED_IDS;

type SeedInput = Pick<HmacWirePayment, 'id' | 'amount' | 'currency' | 'status' | 'paymentMethod' | 'referenceId'> &
  Partial<Omit<HmacWirePayment, 'createdAt' | 'updatedAt'>> & { createdAt: string; updatedAt?: string };

/** Fills the fields a seed does not mention with the document's defaults (null / {}). */
function seeded(input: SeedInput): HmacWirePayment {
  return {
    id: input.id,
    amount: input.amount,
    currency: input.currency,
    status: input.status,
    paymentMethod: input.paymentMethod,
    referenceId: input.referenceId,
    description: input.description === undefined ? `Payment for ${input.referenceId}` : input.description,
    metadata: input.metadata ?? {},
    clientSecret: input.clientSecret ?? null,
    nextAction: input.nextAction ?? null,
    confirmedAt: input.confirmedAt ?? null,
    capturedAt: input.capturedAt ?? null,
    canceledAt: input.canceledAt ?? null,
    expiresAt: input.expiresAt ?? null,
    createdAt: input.createdAt,
    updatedAt: input.updatedAt ?? input.createdAt,
  };
}

const secret = (id: string) => `${id.slice(0, 8)}_secret_sbx7Qm2VrXk9LpT4`;

export const HMAC_SEED: readonly HmacWirePayment[] = [
  seeded({
    id: ids.requiresActionThb, amount: '1000.00', currency: 'THB', status: 'requires_action',
    paymentMethod: 'promptpay', referenceId: 'order-12345', description: 'Payment for order #12345',
    metadata: { order_id: '12345' }, clientSecret: secret(ids.requiresActionThb),
    nextAction: {
      type: 'promptpay_display_qr_code',
      promptpay: { qrCodeData: '00020101021230530016A00000067701011201150105560068127', expiresAt: '2024-01-01T01:00:00.000Z' },
    },
    expiresAt: '2024-01-01T01:00:00.000Z', createdAt: '2024-01-01T00:00:00.000Z',
  }),
  seeded({
    id: ids.requiresPaymentMethodThb, amount: '1500.00', currency: 'THB', status: 'requires_payment_method',
    paymentMethod: 'card', referenceId: 'order-20001', clientSecret: secret(ids.requiresPaymentMethodThb),
    expiresAt: '2024-02-01T10:00:00.000Z', createdAt: '2024-02-01T09:00:00.000Z',
  }),
  seeded({
    id: ids.requiresConfirmationThb, amount: '2500.50', currency: 'THB', status: 'requires_confirmation',
    paymentMethod: 'card', referenceId: 'order-20002', metadata: { customer_id: 'cus_881', channel: 'web' },
    clientSecret: secret(ids.requiresConfirmationThb),
    expiresAt: '2024-02-02T10:00:00.000Z', createdAt: '2024-02-02T09:00:00.000Z', updatedAt: '2024-02-02T09:01:12.345Z',
  }),
  seeded({
    id: ids.processingThb, amount: '349.00', currency: 'THB', status: 'processing',
    paymentMethod: 'promptpay', referenceId: 'order-20003', clientSecret: secret(ids.processingThb),
    confirmedAt: '2024-02-03T09:02:00.000Z',
    expiresAt: '2024-02-03T10:00:00.000Z', createdAt: '2024-02-03T09:00:00.000Z', updatedAt: '2024-02-03T09:02:00.000Z',
  }),
  seeded({
    id: ids.requiresCaptureThb, amount: '1000.00', currency: 'THB', status: 'requires_capture',
    paymentMethod: 'card', referenceId: 'order-20004', metadata: { order_id: '20004' },
    clientSecret: secret(ids.requiresCaptureThb), confirmedAt: '2024-02-04T09:03:30.120Z',
    expiresAt: '2024-02-11T09:00:00.000Z', createdAt: '2024-02-04T09:00:00.000Z', updatedAt: '2024-02-04T09:03:30.120Z',
  }),
  seeded({
    id: ids.succeededThb, amount: '799.00', currency: 'THB', status: 'succeeded',
    paymentMethod: 'promptpay', referenceId: 'order-20005', metadata: { order_id: '20005' },
    confirmedAt: '2024-02-05T09:01:00.000Z', capturedAt: '2024-02-05T09:01:05.500Z',
    expiresAt: '2024-02-05T10:00:00.000Z', createdAt: '2024-02-05T09:00:00.000Z', updatedAt: '2024-02-05T09:01:05.500Z',
  }),
  seeded({
    id: ids.canceledThb, amount: '120.00', currency: 'THB', status: 'canceled',
    paymentMethod: 'card', referenceId: 'order-20006', canceledAt: '2024-02-06T09:10:00.000Z',
    expiresAt: '2024-02-06T10:00:00.000Z', createdAt: '2024-02-06T09:00:00.000Z', updatedAt: '2024-02-06T09:10:00.000Z',
  }),
  seeded({
    id: ids.expiredThb, amount: '89.00', currency: 'THB', status: 'expired',
    paymentMethod: 'promptpay', referenceId: 'order-20007', description: null,
    expiresAt: '2024-02-07T10:00:00.000Z', createdAt: '2024-02-07T09:00:00.000Z', updatedAt: '2024-02-07T10:00:00.000Z',
  }),
  seeded({
    id: ids.paymentFailedThb, amount: '4200.00', currency: 'THB', status: 'payment_failed',
    paymentMethod: 'card', referenceId: 'order-20008',
    expiresAt: '2024-02-08T10:00:00.000Z', createdAt: '2024-02-08T09:00:00.000Z', updatedAt: '2024-02-08T09:00:41.007Z',
  }),
  seeded({
    id: ids.unknownStatusThb, amount: '650.00', currency: 'THB', status: 'on_hold',
    paymentMethod: 'card', referenceId: 'order-20009', metadata: { review: 'manual' },
    expiresAt: '2024-02-09T10:00:00.000Z', createdAt: '2024-02-09T09:00:00.000Z', updatedAt: '2024-02-09T09:30:00.000Z',
  }),
  seeded({
    id: ids.requiresCaptureUsd, amount: '12.34', currency: 'USD', status: 'requires_capture',
    paymentMethod: 'card', referenceId: 'order-30001', clientSecret: secret(ids.requiresCaptureUsd),
    confirmedAt: '2024-03-01T12:00:02.000Z',
    expiresAt: '2024-03-08T12:00:00.000Z', createdAt: '2024-03-01T12:00:00.000Z', updatedAt: '2024-03-01T12:00:02.000Z',
  }),
  seeded({
    id: ids.requiresCaptureJpy, amount: '500', currency: 'JPY', status: 'requires_capture',
    paymentMethod: 'card', referenceId: 'order-30002', clientSecret: secret(ids.requiresCaptureJpy),
    confirmedAt: '2024-03-02T12:00:02.000Z',
    expiresAt: '2024-03-09T12:00:00.000Z', createdAt: '2024-03-02T12:00:00.000Z', updatedAt: '2024-03-02T12:00:02.000Z',
  }),
  seeded({
    id: ids.processingKwd, amount: '1.234', currency: 'KWD', status: 'processing',
    paymentMethod: 'card', referenceId: 'order-30003', clientSecret: secret(ids.processingKwd),
    expiresAt: '2024-03-03T13:00:00.000Z', createdAt: '2024-03-03T12:00:00.000Z',
  }),
  seeded({
    id: ids.requiresCaptureLargeThb, amount: '30000000.00', currency: 'THB', status: 'requires_capture',
    paymentMethod: 'card', referenceId: 'order-30004', metadata: { tier: 'enterprise' },
    clientSecret: secret(ids.requiresCaptureLargeThb), confirmedAt: '2024-03-04T12:00:09.999Z',
    expiresAt: '2024-03-11T12:00:00.000Z', createdAt: '2024-03-04T12:00:00.000Z', updatedAt: '2024-03-04T12:00:09.999Z',
  }),
  seeded({
    id: ids.requiresConfirmationIdr, amount: '45000000000.00', currency: 'IDR', status: 'requires_confirmation',
    paymentMethod: 'card', referenceId: 'order-30005', clientSecret: secret(ids.requiresConfirmationIdr),
    expiresAt: '2024-03-05T13:00:00.000Z', createdAt: '2024-03-05T12:00:00.000Z',
  }),
];
