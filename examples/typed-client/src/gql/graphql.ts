/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Name the payment by `id`, or by `provider` and `providerPaymentId`: exactly one of the two. */
export type CancelPaymentInput = {
  /** A global payment id. */
  id?: string | number | null | undefined;
  /**
   * Same key, same outcome: a request with a key already used returns the recorded outcome
   * (for 24 hours) and sends nothing to the provider. At most 255 characters.
   */
  idempotencyKey?: string | null | undefined;
  provider?: PaymentProvider | null | undefined;
  providerPaymentId?: string | null | undefined;
  /** Why the payment is cancelled: sent to Primer, kept in the gateway's own records for both. */
  reason?: string | null | undefined;
};

/** The payment providers the gateway fronts. */
export type PaymentProvider =
  | 'HMAC'
  | 'PRIMER';

/** One status vocabulary for every provider. See the status table in the README. */
export type PaymentStatus =
  | 'AUTHORIZED'
  | 'CANCELED'
  | 'DECLINED'
  | 'EXPIRED'
  | 'FAILED'
  | 'PARTIALLY_SETTLED'
  | 'PROCESSING'
  | 'REQUIRES_ACTION'
  | 'REQUIRES_CONFIRMATION'
  | 'REQUIRES_PAYMENT_METHOD'
  | 'SETTLING'
  | 'SUCCEEDED'
  /** The provider reported a status the gateway does not know; `providerStatus` carries it. */
  | 'UNKNOWN';

export type CancelPaymentMutationVariables = Exact<{
  input: CancelPaymentInput;
}>;


export type CancelPaymentMutation = { cancelPayment:
    | { __typename: 'CancelPaymentSuccess', alreadyCanceled: boolean, payment: { id: string, provider: PaymentProvider, providerPaymentId: string, status: PaymentStatus, providerStatus: string, isCancellable: boolean, reference: string | null, description: string | null, metadata: unknown, createdAt: string, updatedAt: string | null, canceledAt: string | null, paymentMethod: string | null, amount: { amount: string, currencyCode: string, minorUnits: number }, statusReason: { type: string | null, declineType: string | null, code: string | null, message: string | null } | null } }
    | { __typename: 'IdempotencyKeyConflict', message: string, idempotencyKey: string, retryable: boolean }
    | { __typename: 'InvalidInput', message: string, field: string | null }
    | { __typename: 'PaymentNotCancellable', message: string, payment: { id: string, provider: PaymentProvider, providerPaymentId: string, status: PaymentStatus, providerStatus: string, isCancellable: boolean, reference: string | null, description: string | null, metadata: unknown, createdAt: string, updatedAt: string | null, canceledAt: string | null, paymentMethod: string | null, amount: { amount: string, currencyCode: string, minorUnits: number }, statusReason: { type: string | null, declineType: string | null, code: string | null, message: string | null } | null } }
    | { __typename: 'PaymentNotFound', message: string }
    | { __typename: 'ProviderUnavailable', message: string, provider: PaymentProvider, retryable: boolean }
   };

export type PaymentFieldsFragment = { id: string, provider: PaymentProvider, providerPaymentId: string, status: PaymentStatus, providerStatus: string, isCancellable: boolean, reference: string | null, description: string | null, metadata: unknown, createdAt: string, updatedAt: string | null, canceledAt: string | null, paymentMethod: string | null, amount: { amount: string, currencyCode: string, minorUnits: number }, statusReason: { type: string | null, declineType: string | null, code: string | null, message: string | null } | null };

export type PaymentQueryVariables = Exact<{
  id: string | number;
}>;


export type PaymentQuery = { payment: { id: string, provider: PaymentProvider, providerPaymentId: string, status: PaymentStatus, providerStatus: string, isCancellable: boolean, reference: string | null, description: string | null, metadata: unknown, createdAt: string, updatedAt: string | null, canceledAt: string | null, paymentMethod: string | null, amount: { amount: string, currencyCode: string, minorUnits: number }, statusReason: { type: string | null, declineType: string | null, code: string | null, message: string | null } | null } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const PaymentFieldsFragmentDoc = new TypedDocumentString(`
    fragment PaymentFields on Payment {
  id
  provider
  providerPaymentId
  status
  providerStatus
  isCancellable
  amount {
    amount
    currencyCode
    minorUnits
  }
  reference
  description
  metadata
  createdAt
  updatedAt
  canceledAt
  paymentMethod
  statusReason {
    type
    declineType
    code
    message
  }
}
    `, {"fragmentName":"PaymentFields"}) as unknown as TypedDocumentString<PaymentFieldsFragment, unknown>;
export const CancelPaymentDocument = new TypedDocumentString(`
    mutation CancelPayment($input: CancelPaymentInput!) {
  cancelPayment(input: $input) {
    __typename
    ... on CancelPaymentSuccess {
      alreadyCanceled
      payment {
        ...PaymentFields
      }
    }
    ... on PaymentNotFound {
      message
    }
    ... on PaymentNotCancellable {
      message
      payment {
        ...PaymentFields
      }
    }
    ... on ProviderUnavailable {
      message
      provider
      retryable
    }
    ... on InvalidInput {
      message
      field
    }
    ... on IdempotencyKeyConflict {
      message
      idempotencyKey
      retryable
    }
  }
}
    fragment PaymentFields on Payment {
  id
  provider
  providerPaymentId
  status
  providerStatus
  isCancellable
  amount {
    amount
    currencyCode
    minorUnits
  }
  reference
  description
  metadata
  createdAt
  updatedAt
  canceledAt
  paymentMethod
  statusReason {
    type
    declineType
    code
    message
  }
}`, {"hash":"sha256:e61f39c85d59ac1ec2abf7465eb333a492fc4bdf5a49b44e000c20148160a546"}) as unknown as TypedDocumentString<CancelPaymentMutation, CancelPaymentMutationVariables>;
export const PaymentDocument = new TypedDocumentString(`
    query Payment($id: ID!) {
  payment(id: $id) {
    ...PaymentFields
  }
}
    fragment PaymentFields on Payment {
  id
  provider
  providerPaymentId
  status
  providerStatus
  isCancellable
  amount {
    amount
    currencyCode
    minorUnits
  }
  reference
  description
  metadata
  createdAt
  updatedAt
  canceledAt
  paymentMethod
  statusReason {
    type
    declineType
    code
    message
  }
}`, {"hash":"sha256:eb995c423c333c2211c12833be98b17ddcff35e203700067feb9276ba5f003af"}) as unknown as TypedDocumentString<PaymentQuery, PaymentQueryVariables>;