/**
 * Who may run what, decided before anything runs: queries need `payments:read`,
 * cancelPayment needs `payments:cancel`, introspection needs `schema:introspect` where it is
 * restricted. A refusal is a FORBIDDEN error (HTTP 403) and no provider is called.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Scope } from '../../auth/index.js';
import type { GatewayContext } from '../context.js';
import { rootFields, type FieldUse } from './root-fields.js';

/** `open`: any authenticated caller may introspect; `scoped`: only with schema:introspect. */
export type IntrospectionAccess = 'open' | 'scoped';

function forbidden(scope: Scope): GraphQLError {
  return new GraphQLError(`This operation needs the ${scope} scope.`, {
    extensions: { code: 'FORBIDDEN', requiredScope: scope, http: { status: 403 } },
  });
}

/** Whether the operation reads the schema (`__schema`, `__type`; `__typename` is not introspection). */
export function introspects(fields: readonly FieldUse[]): boolean {
  return fields.some((field) => field.name === '__schema' || field.name === '__type');
}

/** The scope an operation's root fields need, or null when it selects only `__` fields. */
export function requiredScope(type: 'query' | 'mutation' | 'subscription', fields: readonly FieldUse[]): Scope | null {
  if (!fields.some((field) => !field.name.startsWith('__'))) return null;
  return type === 'mutation' ? 'payments:cancel' : 'payments:read';
}

export function accessPlugin(options: { readonly introspection: IntrospectionAccess }): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request, contextValue }) {
          if (!operation) return;
          const { caller } = contextValue;
          const fields = rootFields(operation, document, request.variables ?? {});
          if (introspects(fields) && options.introspection === 'scoped' && !caller.scopes.has('schema:introspect')) {
            throw forbidden('schema:introspect');
          }
          const needed = requiredScope(operation.operation, fields);
          if (needed !== null && !caller.scopes.has(needed)) {
            if (operation.operation === 'mutation') {
              for (const field of fields.filter((f) => f.name === 'cancelPayment')) {
                contextValue.payments.auditRefusedCancel(field.argument('input'), 'FORBIDDEN');
              }
            }
            throw forbidden(needed);
          }
        },
      };
    },
  };
}
