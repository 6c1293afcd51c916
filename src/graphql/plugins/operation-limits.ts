/**
 * Abuse limits that need the operation and its variables, checked before anything runs:
 * at most N cancelPayment fields per operation (aliases and fragments included, so one
 * request cannot fan out into many provider cancels), and a cap on `payments(ids:)`.
 * Depth, aliases and cost are graphql-armor validation rules; tokens are Apollo's parser
 * limit; body size is the HTTP server's.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context.js';
import { rootFields, type FieldUse } from './root-fields.js';

export interface OperationLimits {
  readonly maxCancelsPerOperation: number;
  readonly maxPaymentIds: number;
}

export function limitExceeded(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'LIMIT_EXCEEDED', http: { status: 400 } } });
}

/** The limit an operation's root fields exceed, as the error that refuses it; null when within them. */
export function limitViolation(fields: readonly FieldUse[], limits: OperationLimits): GraphQLError | null {
  const cancels = fields.filter((field) => field.name === 'cancelPayment').length;
  if (cancels > limits.maxCancelsPerOperation) return limitExceeded(`At most ${limits.maxCancelsPerOperation} cancelPayment per operation.`);
  for (const field of fields) {
    if (field.name !== 'payments') continue;
    const ids = field.argument('ids');
    if (Array.isArray(ids) && ids.length > limits.maxPaymentIds) return limitExceeded(`payments(ids:) takes at most ${limits.maxPaymentIds} ids.`);
  }
  return null;
}

export function operationLimitsPlugin(limits: OperationLimits): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request }) {
          if (!operation) return;
          const violation = limitViolation(rootFields(operation, document, request.variables ?? {}), limits);
          if (violation) throw violation;
        },
      };
    },
  };
}
