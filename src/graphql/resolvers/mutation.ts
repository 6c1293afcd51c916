import { toGraphQLError } from '../errors.js';
import type { MutationResolvers } from '../generated/resolvers-types.js';

export const Mutation: MutationResolvers = {
  cancelPayment: (_parent, { input }, { payments }) => payments.cancelPayment(input).catch(toGraphQLError),
};
