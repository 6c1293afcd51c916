/**
 * A minimal typed GraphQL client over undici: one POST per operation, typed by the documents
 * codegen generated from the gateway's schema (src/gql/).
 *
 * Operations are sent as persisted documents, the Apollo APQ way: first the hash alone
 * (`extensions.persistedQuery.sha256Hash`, no query text). A gateway running with trusted
 * documents knows every hash in src/gql/persisted-documents.json and runs it. A gateway
 * without them answers PERSISTED_QUERY_NOT_FOUND the first time; the client then sends the
 * manifest's exact text with its hash, which that gateway caches for next time.
 */
import { request, type Dispatcher } from 'undici';
import type { TypedDocumentString } from './gql/graphql.js';
import manifest from './gql/persisted-documents.json' with { type: 'json' };

export interface GatewayOptions {
  /** The gateway's GraphQL endpoint, e.g. http://localhost:4000/graphql */
  readonly url: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  readonly apiKey: string;
  readonly signal?: AbortSignal | undefined;
  /** An undici dispatcher (Agent, Pool); the global one by default. */
  readonly dispatcher?: Dispatcher | undefined;
  /** Headers and body timeout of each HTTP request (default 10 s; undici's own is 300 s). */
  readonly timeoutMs?: number | undefined;
}

export interface GraphQLErrorBody {
  readonly message: string;
  readonly extensions?: { readonly code?: string; readonly [key: string]: unknown };
}

/** The gateway refused the operation or failed it: HTTP status and GraphQL errors as sent. */
export class GatewayRequestError extends Error {
  override readonly name = 'GatewayRequestError';
  constructor(
    readonly status: number,
    readonly errors: readonly GraphQLErrorBody[],
  ) {
    const first = errors[0];
    super(first ? `gateway answered ${status}: ${first.extensions?.code ?? 'ERROR'}: ${first.message}` : `gateway answered ${status} without data`);
  }

  /** The first error's `extensions.code`, e.g. UNAUTHENTICATED, FORBIDDEN, RATE_LIMITED. */
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

const DOCUMENTS: Readonly<Record<string, string>> = manifest;

/** The manifest entry of a generated document: its bare sha256 hex and its exact text. */
export function persistedDocument(document: TypedDocumentString<unknown, unknown>): { readonly sha256Hash: string; readonly query: string } {
  const id: unknown = document.__meta__?.['hash'];
  const query = typeof id === 'string' ? DOCUMENTS[id] : undefined;
  if (typeof id !== 'string' || !id.startsWith('sha256:') || query === undefined) {
    throw new Error('This document is not in persisted-documents.json: run the example codegen.');
  }
  return { sha256Hash: id.slice('sha256:'.length), query };
}

interface ResponseBody<TResult> {
  data?: TResult | null;
  errors?: GraphQLErrorBody[];
}

async function post<TResult>(options: GatewayOptions, body: unknown): Promise<{ status: number; body: ResponseBody<TResult> }> {
  const timeout = options.timeoutMs ?? 10_000;
  const response = await request(options.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      authorization: `Bearer ${options.apiKey}`,
    },
    body: JSON.stringify(body),
    headersTimeout: timeout,
    bodyTimeout: timeout,
    signal: options.signal,
    dispatcher: options.dispatcher,
  });
  const text = await response.body.text();
  let parsed: ResponseBody<TResult>;
  try {
    parsed = JSON.parse(text) as ResponseBody<TResult>;
  } catch {
    throw new GatewayRequestError(response.statusCode, [{ message: 'the response is not JSON' }]);
  }
  return { status: response.statusCode, body: parsed };
}

/**
 * Runs one generated operation and returns its typed `data`. Any GraphQL error (refused,
 * unauthenticated, rate limited...) throws a GatewayRequestError: business outcomes such as
 * "not cancellable" are data, not errors.
 */
export async function execute<TResult, TVariables>(
  options: GatewayOptions,
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
): Promise<TResult> {
  const { sha256Hash, query } = persistedDocument(document as TypedDocumentString<unknown, unknown>);
  const extensions = { persistedQuery: { version: 1, sha256Hash } };
  let response = await post<TResult>(options, { variables, extensions });
  if (response.body.errors?.some((error) => error.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND')) {
    response = await post<TResult>(options, { query, variables, extensions });
  }
  const { data, errors } = response.body;
  if (errors !== undefined && errors.length > 0) throw new GatewayRequestError(response.status, errors);
  if (data === undefined || data === null) throw new GatewayRequestError(response.status, []);
  return data;
}
