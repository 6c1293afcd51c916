/**
 * The gateway's domain model: what every provider adapter produces and every resolver reads.
 * GraphQL types are mapped onto these by codegen (`mappers` in codegen.ts).
 */

export const PAYMENT_PROVIDERS = ['HMAC', 'PRIMER'] as const;
export type PaymentProviderName = (typeof PAYMENT_PROVIDERS)[number];

export const PAYMENT_STATUSES = [
  'REQUIRES_PAYMENT_METHOD',
  'REQUIRES_CONFIRMATION',
  'REQUIRES_ACTION',
  'PROCESSING',
  'AUTHORIZED',
  'SETTLING',
  'PARTIALLY_SETTLED',
  'SUCCEEDED',
  'CANCELED',
  'DECLINED',
  'FAILED',
  'EXPIRED',
  'UNKNOWN',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export interface Money {
  /** Exact decimal string in major units, with exactly the currency's exponent of fraction digits. */
  readonly amount: string;
  readonly currencyCode: string;
  /** Integer minor units, always a safe integer. */
  readonly minorUnits: number;
}

export interface StatusReason {
  readonly type: string | null;
  readonly declineType: string | null;
  readonly code: string | null;
  readonly message: string | null;
}

export interface Payment {
  readonly provider: PaymentProviderName;
  readonly providerPaymentId: string;
  readonly status: PaymentStatus;
  readonly providerStatus: string;
  readonly isCancellable: boolean;
  readonly amount: Money;
  readonly reference: string | null;
  readonly description: string | null;
  readonly metadata: unknown;
  /** RFC 3339 UTC strings ending in Z. */
  readonly createdAt: string;
  readonly updatedAt: string | null;
  readonly canceledAt: string | null;
  readonly paymentMethod: string | null;
  readonly statusReason: StatusReason | null;
}

/** Identifies one payment at one provider. */
export interface PaymentRef {
  readonly provider: PaymentProviderName;
  readonly providerPaymentId: string;
}
