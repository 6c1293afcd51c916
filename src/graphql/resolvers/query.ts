import { decodeGlobalId, isValidProviderPaymentId } from '../../domain/global-id.js';
import type { Payment } from '../../domain/payment.js';
import type { PaymentsSession } from '../../payments/service.js';
import { toGraphQLError } from '../errors.js';
import type { QueryResolvers } from '../generated/resolvers-types.js';

/** A payment by global id; a malformed id reads as a missing payment (null, no error). */
function paymentByGlobalId(payments: PaymentsSession, id: string): Promise<Payment | null> | null {
  const ref = decodeGlobalId(id);
  return ref ? payments.getPayment(ref).catch(toGraphQLError) : null;
}

export const Query: QueryResolvers = {
  payment: (_parent, { id }, { payments }) => paymentByGlobalId(payments, id),

  paymentByProviderId: (_parent, { provider, providerPaymentId }, { payments }) =>
    isValidProviderPaymentId(providerPaymentId)
      ? payments.getPayment({ provider, providerPaymentId }).catch(toGraphQLError)
      : null,

  // One entry per id, in order. Each entry resolves or fails on its own (a failed entry is
  // null plus an error): graphql-js takes a promise per list entry, a promise of null
  // included, which the generated type cannot express.
  payments: (_parent, { ids }, { payments }) => ids.map((id) => paymentByGlobalId(payments, id) as Promise<Payment> | null),

  node: (_parent, { id }, { payments }) => paymentByGlobalId(payments, id),
};
