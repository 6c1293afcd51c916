/**
 * Trusted documents (TRUSTED_DOCUMENTS=<manifest>): only the documents of a persisted-documents
 * manifest (graphql-codegen's client-preset `persisted-documents.json`, `"sha256:<hex>": text`)
 * run, sent either by hash in Apollo's APQ shape (`extensions.persistedQuery.sha256Hash`, the
 * bare hex, no query text) or as their exact text. Callers the server trusts (the
 * `documents:any` scope: staff in GraphiQL) may run any document.
 *
 * Two parts, both needed:
 * - trustedDocumentsCache: Apollo's APQ cache, answered from the manifest and read-only, so a
 *   hash resolves to its manifest text and no client can register a new document by APQ.
 * - trustedDocumentsPlugin: refuses, in didResolveOperation (before anything runs), a document
 *   whose text is not in the manifest: HTTP 400, `extensions.code` PERSISTED_QUERY_NOT_IN_LIST
 *   (the code Apollo Router and GraphQL Yoga use for the same refusal). Errors thrown earlier,
 *   in didResolveSource, would be HTTP 500.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import { GraphQLError, parse } from 'graphql';
import type { GatewayContext } from '../context.js';

export const TRUSTED_DOCUMENTS_ERROR_CODE = 'PERSISTED_QUERY_NOT_IN_LIST';

/** The scope that lets a caller run documents outside the manifest. */
export const ANY_DOCUMENT_SCOPE = 'documents:any';

/** The manifest's documents, keyed by the bare lower-case sha256 hex of their text. */
export interface TrustedDocuments {
  /** The manifest file, as given. */
  readonly path: string;
  readonly size: number;
  /** The document text for a bare sha256 hex, or undefined. */
  get(sha256Hex: string): string | undefined;
  has(sha256Hex: string): boolean;
  hashes(): IterableIterator<string>;
}

const KEY = /^sha256:([0-9a-f]{64})$/;
/** Apollo prefixes the keys of the APQ cache it is given. */
const APQ_PREFIX = 'apq:';

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Reads and checks a persisted-documents manifest. Throws an Error naming the file and the
 * problem (missing, unreadable, not JSON, wrong shape, a key that is not `sha256:<64 hex>`, a
 * text that does not hash to its key, a text that is not a GraphQL document, no documents).
 * Messages never quote document text.
 */
export function loadTrustedDocuments(path: string): TrustedDocuments {
  const problem = (what: string) => new Error(`Trusted documents manifest ${path}: ${what}`);
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw problem(code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file' : `cannot be read (${code ?? 'unknown error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    // JSON.parse's message quotes the input: not passed on.
    throw problem('is not valid JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw problem('must be a JSON object of "sha256:<hex>": "<document>" entries (graphql-codegen persisted-documents.json)');
  }
  const documents = new Map<string, string>();
  let position = 0;
  for (const [key, text] of Object.entries(json)) {
    position += 1;
    const match = KEY.exec(key);
    if (match === null) throw problem(`entry ${position}: the key must be "sha256:" followed by 64 lower-case hex digits`);
    const hex = match[1]!;
    if (typeof text !== 'string' || text.trim() === '') throw problem(`entry ${position} (${key}): the value must be the document text`);
    if (sha256Hex(text) !== hex) throw problem(`entry ${position} (${key}): the text does not hash to its key`);
    try {
      parse(text, { noLocation: true });
    } catch {
      throw problem(`entry ${position} (${key}): the text is not a GraphQL document`);
    }
    documents.set(hex, text);
  }
  if (documents.size === 0) throw problem('holds no documents');
  return Object.freeze({
    path,
    size: documents.size,
    get: (hex: string) => documents.get(hex),
    has: (hex: string) => documents.has(hex),
    hashes: () => documents.keys(),
  });
}

/**
 * Apollo's `persistedQueries.cache`: `get` answers from the manifest, `set` and `delete` do
 * nothing, so Apollo's APQ registration (a query with its hash) never adds a document.
 * Accepts keys with or without Apollo's `apq:` prefix.
 */
export function trustedDocumentsCache(docs: TrustedDocuments): KeyValueCache<string> {
  return {
    async get(key: string) {
      const hex = key.startsWith(APQ_PREFIX) ? key.slice(APQ_PREFIX.length) : key;
      return docs.get(hex);
    },
    async set() {
      // Read-only: documents come from the manifest only.
    },
    async delete() {
      return false;
    },
  };
}

/** Whether this exact document text is in the manifest. */
export function isTrustedText(docs: TrustedDocuments, text: string): boolean {
  return docs.has(sha256Hex(text));
}

export interface TrustedDocumentsPluginOptions<TContext> {
  /** Whether this request may run a document outside the manifest. */
  readonly isTrusted: (contextValue: TContext) => boolean;
}

export function notInListError(): GraphQLError {
  return new GraphQLError('This gateway runs trusted documents only: send a document from its manifest, by hash or by its exact text.', {
    extensions: { code: TRUSTED_DOCUMENTS_ERROR_CODE, http: { status: 400 } },
  });
}

/**
 * Refuses any document whose text is not in the manifest, unless `isTrusted` says the caller
 * may run anything. Runs in didResolveOperation: after parsing and validation, before any
 * resolver. List it before the other plugins whose didResolveOperation refuses requests, so
 * that an untrusted document gets this refusal whatever else is wrong with it.
 */
export function trustedDocumentsPlugin<TContext extends BaseContext>(
  docs: TrustedDocuments,
  options: TrustedDocumentsPluginOptions<TContext>,
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ source, contextValue }) {
          // The text that is about to run, hashed here rather than trusting the request's
          // hash: every manifest text hashes to its key (checked when loading).
          if (isTrustedText(docs, source)) return;
          if (options.isTrusted(contextValue)) return;
          throw notInListError();
        },
      };
    },
  };
}

/** The gateway's rule for `isTrusted`: the caller has the documents:any scope. */
export function callerMayRunAnyDocument(contextValue: GatewayContext): boolean {
  return contextValue.caller.scopes.has(ANY_DOCUMENT_SCOPE);
}
