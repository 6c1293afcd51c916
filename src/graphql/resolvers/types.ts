import { encodeGlobalId } from '../../domain/global-id.js';
import type { Resolvers } from '../generated/resolvers-types.js';

/** Field and type resolvers beyond the defaults: the global id and abstract-type resolution. */
export const typeResolvers: Pick<Resolvers, 'Payment' | 'Node' | 'CancelPaymentResult' | 'UserError'> = {
  Payment: {
    id: (payment) => encodeGlobalId(payment),
  },
  Node: {
    __resolveType: () => 'Payment',
  },
  CancelPaymentResult: {
    __resolveType: (outcome) => outcome.kind,
  },
  UserError: {
    __resolveType: (outcome) => outcome.kind,
  },
};
