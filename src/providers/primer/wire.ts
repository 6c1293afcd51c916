/**
 * Primer API v2.4 wire format (the parts the gateway reads), from its OpenAPI spec.
 */

export const PRIMER_API_VERSION = '2.4';

export const PRIMER_STATUSES = [
  'PENDING',
  'FAILED',
  'AUTHORIZED',
  'SETTLING',
  'PARTIALLY_SETTLED',
  'SETTLED',
  'DECLINED',
  'CANCELLED',
] as const;
export type PrimerStatus = (typeof PRIMER_STATUSES)[number];

export interface PrimerTransactionEvent {
  id: string;
  date: string;
  type: 'AUTHORIZATION_SUCCEEDED' | 'AUTHORIZATION_ADJUSTMENT_SUCCEEDED' | 'CAPTURE_SUCCEEDED' | 'CANCELLATION_SUCCEEDED' | string;
  amount?: number;
}

export interface PrimerPayment {
  id: string;
  /** Creation time in UTC, often without a zone: `2021-02-21T15:36:16.367687`. */
  date: string;
  dateUpdated?: string;
  status: string;
  orderId?: string;
  currencyCode: string;
  /** int64 minor units. */
  amount: number;
  metadata?: Record<string, unknown>;
  paymentMethod?: { paymentMethodType?: string };
  requiredAction?: { name: string; description?: string } | null;
  statusReason?: { type?: string; declineType?: string; code?: string; message?: string } | null;
  transactions?: { events?: PrimerTransactionEvent[] }[];
}

/** `{"error":{"errorId","description",...}}` on every error. */
export interface PrimerErrorBody {
  error: {
    errorId: string;
    description: string;
    diagnosticsId?: string;
    recoverySuggestion?: string;
    validationErrors?: { model?: string; errors?: { path?: string; description?: string }[] }[];
    paymentId?: string;
    paymentStatus?: string;
  };
}

/** Cancel request body (`PaymentCancelAPIRequest`, additionalProperties: false). */
export interface PrimerCancelRequest {
  reason?: string;
}
