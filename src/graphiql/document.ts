/**
 * The document GraphiQL opens with: read a payment, then cancel it. The cancel selects every
 * member of CancelPaymentResult, so each outcome shows as data.
 */
export const PLACEHOLDER_PAYMENT_ID = '<a payment id>';

export function exampleDocument(paymentId: string = PLACEHOLDER_PAYMENT_ID): string {
  const id = JSON.stringify(paymentId);
  return `# Payments gateway. Press the run button and pick an operation.
# Your API key goes in the Headers tab below, as {"Authorization": "Bearer <key>"}.

query ReadPayment {
  payment(id: ${id}) {
    id
    provider
    status
    providerStatus
    isCancellable
    amount {
      amount
      currencyCode
    }
    reference
    canceledAt
  }
}

mutation CancelPayment {
  cancelPayment(input: { id: ${id}, reason: "Cancelled from GraphiQL" }) {
    __typename
    ... on CancelPaymentSuccess {
      alreadyCanceled
      payment {
        id
        status
        canceledAt
      }
    }
    ... on PaymentNotFound {
      message
    }
    ... on PaymentNotCancellable {
      message
      payment {
        id
        status
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
`;
}
