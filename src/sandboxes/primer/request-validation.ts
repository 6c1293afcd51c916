/**
 * Validation of Primer request inputs the way its FastAPI/pydantic models reject them:
 * the cancel body (`PaymentCancelAPIRequest`, additionalProperties false) and the `expand`
 * query of GET. Failures become 422 `RequestValidationError` with
 * `validationErrors: [{model, errors: [{path: "$.field", description}]}]`.
 */
import { isPlainObject } from '../http-sandbox.js';

export interface ValidationIssue {
  path: string;
  description: string;
}

export interface CancelRequest {
  reason?: string;
  expandEvents: boolean;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; model: string; issues: ValidationIssue[] };

const EXPANDABLE = 'transactions.events';
const CANCEL_MODEL = 'PaymentCancelAPIRequest';
const CANCEL_FIELDS = new Set(['reason', 'expand']);

/**
 * The body is optional (default `{}`): an empty body is fine whatever its Content-Type.
 * A non-empty body must be declared JSON, as FastAPI only parses bodies sent with a JSON
 * media type (assumption from FastAPI's behaviour; Primer's operationIds show FastAPI).
 */
export function parseCancelBody(contentType: string | undefined, body: Buffer): Validated<CancelRequest> {
  const text = body.toString('utf8');
  if (text.trim() === '') return { ok: true, value: { expandEvents: false } };
  const invalid = (issues: ValidationIssue[]): Validated<CancelRequest> => ({ ok: false, model: CANCEL_MODEL, issues });

  if (!isJsonMediaType(contentType)) {
    return invalid([{ path: '$', description: 'Request body must be sent as application/json' }]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return invalid([{ path: '$', description: 'Request body is not valid JSON' }]);
  }
  if (!isPlainObject(parsed)) return invalid([{ path: '$', description: 'Value must be a valid object' }]);

  const issues: ValidationIssue[] = [];
  for (const field of Object.keys(parsed)) {
    if (!CANCEL_FIELDS.has(field)) issues.push({ path: `$.${field}`, description: 'Extra fields are not permitted' });
  }
  const { reason, expand } = parsed;
  if (reason !== undefined && typeof reason !== 'string') {
    issues.push({ path: '$.reason', description: 'Value must be a valid string' });
  }
  let expandEvents = false;
  if (expand !== undefined && expand !== null) {
    if (!Array.isArray(expand)) {
      issues.push({ path: '$.expand', description: 'Value must be a valid list' });
    } else {
      issues.push(...expandIssues(expand, '$.expand'));
      expandEvents = expand.includes(EXPANDABLE);
    }
  }
  if (issues.length > 0) return invalid(issues);
  return { ok: true, value: typeof reason === 'string' ? { reason, expandEvents } : { expandEvents } };
}

/**
 * GET's `expand` query (schema `Expand`): repeated or comma-separated values, each
 * `transactions.events`. Rejecting other values with 422 is an assumption.
 */
export function parseExpandQuery(query: URLSearchParams): Validated<boolean> {
  const values = query.getAll('expand').flatMap((value) => value.split(','));
  const issues = expandIssues(values, '$.expand');
  if (issues.length > 0) return { ok: false, model: 'Expand', issues };
  return { ok: true, value: values.includes(EXPANDABLE) };
}

function expandIssues(values: readonly unknown[], path: string): ValidationIssue[] {
  return values.flatMap((value, i) =>
    value === EXPANDABLE ? [] : [{ path: `${path}[${i}]`, description: `Value must be one of: '${EXPANDABLE}'` }],
  );
}

function isJsonMediaType(contentType: string | undefined): boolean {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return mediaType === 'application/json' || (mediaType.startsWith('application/') && mediaType.endsWith('+json'));
}
