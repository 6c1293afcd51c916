/**
 * GraphQL errors: the typed ones the gateway raises, and masking of everything else.
 */
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { LedgerUnavailableError } from '../idempotency/ledger.js';
import { RateLimitedError } from '../payments/service.js';
import { ProviderUnavailableError } from '../providers/errors.js';

/** A provider that could not answer a read: null for that field plus this error. */
export function providerUnavailableError(error: ProviderUnavailableError): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: { code: 'PROVIDER_UNAVAILABLE', provider: error.provider, retryable: error.retryable },
  });
}

/** Rethrows known failures as typed GraphQL errors; anything else stays as it is (and is masked). */
export function toGraphQLError(error: unknown): never {
  if (error instanceof ProviderUnavailableError) throw providerUnavailableError(error);
  if (error instanceof RateLimitedError) {
    const seconds = Math.max(1, Math.ceil(error.retryAfterMs / 1000));
    throw new GraphQLError(error.message, {
      extensions: { code: 'RATE_LIMITED', retryable: true, retryAfterSeconds: seconds, http: { status: 429, headers: new Map([['retry-after', String(seconds)]]) } },
    });
  }
  if (error instanceof LedgerUnavailableError) {
    // A keyed cancel is refused rather than run unrecorded: it could not be replayed.
    throw new GraphQLError('Idempotency keys cannot be checked right now; nothing was sent to the provider. Retry later.', {
      extensions: { code: 'IDEMPOTENCY_UNAVAILABLE', retryable: true },
    });
  }
  throw error;
}

/**
 * Apollo's formatError: errors the gateway or GraphQL itself raised deliberately pass
 * through; anything else (a bug, an unexpected exception) becomes a bare INTERNAL_SERVER_ERROR,
 * with no message, stack or provider detail, and is logged.
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof GraphQLError) {
      // Errors raised by graphql-js and Apollo (parse, validation, variables) and by the gateway.
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    logger.error({ err: original, path: formatted.path }, 'internal error while resolving');
    return {
      message: 'Internal server error',
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
