import type { Resolvers } from '../generated/resolvers-types.js';
import { DateTimeScalar, DecimalScalar, JSONScalar, SafeIntScalar } from '../scalars.js';
import { Mutation } from './mutation.js';
import { Query } from './query.js';
import { typeResolvers } from './types.js';

export const resolvers: Resolvers = {
  Query,
  Mutation,
  ...typeResolvers,
  DateTime: DateTimeScalar,
  Decimal: DecimalScalar,
  SafeInt: SafeIntScalar,
  JSON: JSONScalar,
};
