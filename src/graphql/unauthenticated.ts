import { GraphQLError } from 'graphql';
import type { AuthFailureReason } from '../auth/index.js';

const REALM = 'payments-gateway';

/**
 * HTTP 401 with a WWW-Authenticate challenge (RFC 6750): bare for a missing credential,
 * `invalid_request` for a malformed header, `invalid_token` for one that is not accepted.
 */
export function unauthenticatedError(reason: AuthFailureReason, message: string, requestId: string): GraphQLError {
  const error = reason === 'missing' ? null : reason === 'malformed' ? 'invalid_request' : 'invalid_token';
  const challenge = error === null ? `Bearer realm="${REALM}"` : `Bearer realm="${REALM}", error="${error}"`;
  return new GraphQLError(message, {
    extensions: {
      code: 'UNAUTHENTICATED',
      requestId,
      http: { status: 401, headers: new Map([['www-authenticate', challenge]]) },
    },
  });
}
