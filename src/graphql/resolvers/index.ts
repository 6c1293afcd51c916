import type { GraphQLScalarType } from 'graphql';
import type { Resolvers } from '../generated/resolvers-types.js';
import { DateTimeScalar, DecimalScalar, JSONScalar, SafeIntScalar } from '../scalars.js';
import { Mutation } from './mutation.js';
import { Query } from './query.js';
import { typeResolvers } from './types.js';

/**
 * A scalar's behaviour without its name or description: graphql-tools copies every property
 * of a GraphQLScalarType onto the schema's scalar, and an undefined description would erase
 * the one written in schema/scalars.graphql.
 */
function behaviourOf(scalar: GraphQLScalarType): GraphQLScalarType {
  return { serialize: scalar.serialize, parseValue: scalar.parseValue, parseLiteral: scalar.parseLiteral } as unknown as GraphQLScalarType;
}

export const resolvers: Resolvers = {
  Query,
  Mutation,
  ...typeResolvers,
  DateTime: behaviourOf(DateTimeScalar),
  Decimal: behaviourOf(DecimalScalar),
  SafeInt: behaviourOf(SafeIntScalar),
  JSON: behaviourOf(JSONScalar),
};
