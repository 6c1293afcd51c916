/**
 * The HMAC provider's wire format, as its cancel document shows it. The read endpoint and
 * the authentication-failure body are assumptions (DESIGN §5), kept in `assumptions.ts`.
 */

export const HMAC_STATUSES = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
  'processing',
  'requires_capture',
  'succeeded',
  'canceled',
  'expired',
  'payment_failed',
] as const;
export type HmacStatus = (typeof HMAC_STATUSES)[number];

export interface HmacPayment {
  id: string;
  /** Major-unit decimal string, e.g. "1000.00". */
  amount: string;
  currency: string;
  status: string;
  paymentMethod?: string | null;
  referenceId?: string | null;
  description?: string | null;
  metadata?: unknown;
  clientSecret?: string | null;
  nextAction?: unknown;
  confirmedAt?: string | null;
  capturedAt?: string | null;
  canceledAt?: string | null;
  expiresAt?: string | null;
  createdAt: string;
  updatedAt?: string | null;
}

export interface HmacErrorBody {
  code: string;
  message?: string;
}

export type HmacEnvelope =
  | { success: true; data: unknown }
  | { success: false; error: HmacErrorBody };
