/**
 * Who may run what, decided before anything runs: queries need `payments:read`,
 * cancelPayment needs `payments:cancel`, introspection needs `schema:introspect` where it is
 * restricted. A refusal is a FORBIDDEN error (HTTP 403) and no provider is called.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Scope } from '../../auth/index.js';
import type { GatewayContext } from '../context.js';
import { rootFields } from './root-fields.js';

/** `open`: any authenticated caller may introspect; `scoped`: only with schema:introspect. */
export type IntrospectionAccess = 'open' | 'scoped';

function forbidden(scope: Scope): GraphQLError {
  return new GraphQLError(`This operation needs the ${scope} scope.`, {
    extensions: { code: 'FORBIDDEN', requiredScope: scope, http: { status: 403 } },
  });
}

export function accessPlugin(options: { readonly introspection: IntrospectionAccess }): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request, contextValue }) {
          if (!operation) return;
          const { caller } = contextValue;
          const fields = rootFields(operation, document, request.variables ?? {});
          const introspects = fields.some((field) => field.name === '__schema' || field.name === '__type');
          if (introspects && options.introspection === 'scoped' && !caller.scopes.has('schema:introspect')) {
            throw forbidden('schema:introspect');
          }
          if (!fields.some((field) => !field.name.startsWith('__'))) return;
          const needed: Scope = operation.operation === 'mutation' ? 'payments:cancel' : 'payments:read';
          if (!caller.scopes.has(needed)) {
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
