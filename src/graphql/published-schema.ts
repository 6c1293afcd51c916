/**
 * The published schema (`schema.graphql` at the project root): the served schema printed in a
 * stable order, for clients' codegen and for review of every change to the contract.
 */
import { buildSchema, lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { loadTypeDefs } from './schema.js';

export const PUBLISHED_SCHEMA_HEADER = '# The published schema of the payments gateway. Generated: `npm run schema:publish`.\n\n';

export function printPublishedSchema(schema: GraphQLSchema = buildSchema(loadTypeDefs())): string {
  return PUBLISHED_SCHEMA_HEADER + printSchema(lexicographicSortSchema(schema)) + '\n';
}
