import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createErrorFormatter } from '../../src/graphql/errors.js';
import { captureLog } from '../support/log-capture.js';

describe('error masking', () => {
  it('an unexpected error becomes a bare INTERNAL_SERVER_ERROR, and is logged', () => {
    const log = captureLog();
    const format = createErrorFormatter(log.logger);
    const internal = new Error('connect ECONNREFUSED 10.0.0.7:5432 password=hunter2');
    const wrapped = new GraphQLError(internal.message, { path: ['payment'], originalError: internal });
    const formatted = format({ message: internal.message, path: ['payment'], extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] } }, wrapped);
    expect(formatted).toEqual({ message: 'Internal server error', path: ['payment'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(log.records()).toContainEqual(expect.objectContaining({ level: 50, msg: 'internal error while resolving' }));
  });

  it('a deliberate GraphQL error keeps its message and code, never a stack trace', () => {
    const format = createErrorFormatter(captureLog().logger);
    const error = new GraphQLError('This operation needs the payments:cancel scope.', { extensions: { code: 'FORBIDDEN' } });
    expect(format({ message: error.message, extensions: { code: 'FORBIDDEN', stacktrace: ['at y'] } }, error)).toEqual({
      message: error.message,
      extensions: { code: 'FORBIDDEN' },
    });
  });
});
