/**
 * The lean path: the common request (a JSON POST of a known, valid document by an allowed
 * caller) executed without Apollo Server's HTTP layer and request pipeline, which cost about
 * 100 µs of CPU per request here against a few µs for this path (README, Performance). Its
 * door (lean-front.ts) gives it JSON POSTs to /graphql before Fastify sees them.
 *
 * It only ever answers the happy path. Whenever anything is unusual — another method or
 * content (the door's checks), extensions (APQ), an Accept header it does not know, a
 * document that does not parse or validate, introspection, a missing credential or scope, a
 * trusted-documents or abuse-limit refusal, variables that do not coerce — it steps aside
 * before any resolver runs, and Apollo handles the request exactly as before (refusals,
 * audits and all). So every refusal keeps one implementation; this path shares the checks'
 * functions and the error formatting with the Apollo plugins, and only decides whether it
 * may go on.
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import {
  getOperationAST,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import type { Caller, Scope } from '../auth/index.js';
import type { AfterAnswer } from '../payments/service.js';
import type { GatewayContext } from './context.js';
import { introspects, requiredScope } from './plugins/access.js';
import { limitViolation, type OperationLimits } from './plugins/operation-limits.js';
import { rootFields } from './plugins/root-fields.js';
import { ANY_DOCUMENT_SCOPE, isTrustedText, type TrustedDocuments } from './plugins/trusted-documents.js';

export interface LeanPathOptions {
  readonly schema: GraphQLSchema;
  /** The rules Apollo validates with besides graphql-js's own (depth, aliases, cost). */
  readonly validationRules: readonly ValidationRule[];
  readonly maxTokens: number;
  readonly limits: OperationLimits;
  readonly trustedDocuments?: TrustedDocuments | undefined;
  /** Authenticates the Authorization header, or null: the request goes to Apollo, which refuses it. */
  readonly authenticate: (authorization: string | undefined) => Caller | null | Promise<Caller | null>;
  /** The request's context; its payments session defers to `afterAnswer` what the answer need not wait for. */
  readonly createContext: (request: LeanRequest, caller: Caller, afterAnswer: AfterAnswer) => GatewayContext;
  /** Apollo's formatError, and then the request id, as the plugins do. */
  readonly formatError: (formatted: GraphQLFormattedError, error: unknown, requestId: string) => GraphQLFormattedError;
  /** Told of a task run after the answer that threw (the others still run). */
  readonly onDeferredError: (error: unknown) => void;
  /** Told of every request this path answers (metrics). */
  readonly onResponse: (event: { operationName: string | null; type: 'query' | 'mutation'; errors: readonly GraphQLFormattedError[]; seconds: number }) => void;
}

interface Prepared {
  readonly document: DocumentNode;
  /** The operation compiled to a function by graphql-jit (resolvers, scalars and abstract types as the schema says). */
  readonly compiled: CompiledQuery;
  readonly operation: OperationDefinitionNode;
  readonly type: 'query' | 'mutation';
  /** The scope its non-introspection root fields need, or null when it has none. */
  readonly scope: Scope | null;
  /** In the trusted-documents manifest (always true without one). */
  readonly trusted: boolean;
  /** Whether it selects payments(ids:), whose list may come from the variables. */
  readonly listsPayments: boolean;
}

/** Documents prepared once, by operation name and text; `null`: never on this path. */
const MAX_PREPARED = 1000;
/** How many of the last documents found are compared before the maps are searched. */
const RECENT_DOCUMENTS = 8;
/**
 * The Accept headers this path knows, with the media type Apollo answers them with (its
 * negotiation: the highest q, then the earliest listed). Any other Accept goes to Apollo.
 */
const JSON_TYPE = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json; charset=utf-8';
const ACCEPTS = new Map<string | undefined, string>([
  [undefined, JSON_TYPE],
  ['', JSON_TYPE],
  ['*/*', JSON_TYPE],
  ['application/json', JSON_TYPE],
  ['application/json, */*', JSON_TYPE],
  ['application/json;charset=utf-8', JSON_TYPE],
  ['application/json; charset=utf-8', JSON_TYPE],
  ['application/graphql-response+json', GRAPHQL_RESPONSE_TYPE],
  ['application/graphql-response+json, application/json', GRAPHQL_RESPONSE_TYPE],
  ['application/graphql-response+json, application/json;q=0.9', GRAPHQL_RESPONSE_TYPE],
  ['application/graphql-response+json;charset=utf-8, application/json;charset=utf-8;q=0.9', GRAPHQL_RESPONSE_TYPE],
]);

/** A JSON POST to the GraphQL endpoint, its body read and parsed (graphql/lean-front.ts). */
export interface LeanRequest {
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
  readonly id: string;
  /** The response to come, whose early close means the caller went away. */
  readonly response: ServerResponse;
}

/** What the lean path answers; the caller writes it. */
export interface LeanAnswer {
  readonly status: number;
  /** Headers besides content-type (e.g. retry-after), lower-case names. */
  readonly headers: Record<string, string>;
  readonly contentType: string;
  readonly body: string;
  /**
   * Called once the answer is handed to the socket, whatever happened writing it: runs the
   * work the answer did not wait for (audit records, the idempotency record), then reports
   * the request (onResponse).
   */
  readonly afterAnswer: () => void;
}

export interface LeanPath {
  /** The answer, or null when the request must go to Apollo (nothing was done for it). */
  handle(request: LeanRequest): Promise<LeanAnswer | null>;
  /** Requests answered by this path (for tests and operators). */
  readonly served: () => number;
}

export function createLeanPath(options: LeanPathOptions): LeanPath {
  const prepared = new Map<string | null, Map<string, Prepared | null>>();
  let preparedCount = 0;
  const rules = [...specifiedRules, ...options.validationRules];
  let served = 0;

  function prepare(query: string, operationName: string | undefined): Prepared | null {
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: options.maxTokens });
    } catch {
      return null;
    }
    if (validate(options.schema, document, rules).length > 0) return null;
    const operation = getOperationAST(document, operationName);
    if (!operation || (operation.operation !== 'query' && operation.operation !== 'mutation')) return null;
    // Introspection stays with Apollo (its access rules and its cache of the schema), and so
    // does a document over a limit whatever its variables.
    const fields = rootFields(operation, document, {});
    if (introspects(fields) || limitViolation(fields, options.limits)) return null;
    const type = operation.operation;
    const compiled = compileQuery(options.schema, document, operationName);
    if (!isCompiledQuery(compiled)) return null;
    return {
      document,
      compiled,
      operation,
      type,
      scope: requiredScope(type, fields),
      trusted: options.trustedDocuments ? isTrustedText(options.trustedDocuments, query) : true,
      listsPayments: fields.some((field) => field.name === 'payments'),
    };
  }

  /**
   * The last documents found, checked before the maps: a request's text is a new string, and
   * a Map hashes it, every character (about 4 000 instructions for the benchmark's cancel,
   * callgrind), where comparing it with a text of the same length is a memory comparison.
   */
  const recent: Array<{ readonly query: string; readonly operationName: string | null; readonly entry: Prepared | null }> = [];
  let nextRecent = 0;

  function lookup(query: string, operationName: string | null): Prepared | null {
    for (const hit of recent) {
      if (hit.query.length === query.length && hit.operationName === operationName && hit.query === query) return hit.entry;
    }
    const entry = lookupPrepared(query, operationName);
    recent[nextRecent] = { query, operationName, entry };
    nextRecent = (nextRecent + 1) % RECENT_DOCUMENTS;
    return entry;
  }

  /**
   * By operation name (null: none given; "" is a name, which graphql-js finds nowhere), then
   * by text: no key is built from the text per request.
   */
  function lookupPrepared(query: string, operationName: string | null): Prepared | null {
    let texts = prepared.get(operationName);
    let entry = texts?.get(query);
    if (entry === undefined) {
      if (preparedCount >= MAX_PREPARED) {
        prepared.clear();
        preparedCount = 0;
        texts = undefined;
      }
      if (!texts) {
        texts = new Map();
        prepared.set(operationName, texts);
      }
      entry = prepare(query, operationName ?? undefined);
      texts.set(query, entry);
      preparedCount += 1;
    }
    return entry;
  }

  return {
    served: () => served,
    async handle(request) {
      const started = performance.now();
      const contentType = ACCEPTS.get(request.headers.accept);
      if (contentType === undefined) return null;
      const body = request.body as Record<string, unknown> | null;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
      // Any other member (extensions, say) is for Apollo. Checked key by key: a rest
      // pattern (`...rest`) copied the body into a new object for every request.
      for (const name in body) if (name !== 'query' && name !== 'variables' && name !== 'operationName') return null;
      const { query, variables = null, operationName = null } = body;
      if (typeof query !== 'string') return null;
      if (variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) return null;
      if (operationName !== null && typeof operationName !== 'string') return null;

      const entry = lookup(query, operationName);
      if (!entry) return null;
      const authenticated = options.authenticate(request.headers.authorization);
      const caller = authenticated instanceof Promise ? await authenticated : authenticated;
      if (!caller) return null;
      if (!entry.trusted && !caller.scopes.has(ANY_DOCUMENT_SCOPE)) return null;
      if (entry.scope !== null && !caller.scopes.has(entry.scope)) return null;
      const variableValues = (variables ?? {}) as Record<string, unknown>;
      // The ids of payments(ids:) may come from the variables: checked for each request.
      if (entry.listsPayments && limitViolation(rootFields(entry.operation, entry.document, variableValues), options.limits)) return null;

      // Whatever happens from here on, the deferred work runs: after the answer is written
      // (afterAnswer), or before this path steps aside or fails.
      const deferred = new Deferred(options.onDeferredError);
      try {
        const contextValue = options.createContext(request, caller, deferred.add);
        const executed = entry.compiled.query(undefined, contextValue, variableValues) as ExecutionResult | Promise<ExecutionResult>;
        const result = executed instanceof Promise ? await executed : executed;
        // Variables that do not coerce: nothing ran, so Apollo may answer it (with its 400).
        if (result.data === undefined) {
          deferred.run();
          return null;
        }

        let status = 200;
        const headers: Record<string, string> = {};
        const errors = (result.errors ?? []).map((error) => {
          // As Apollo: a code for every error, and `extensions.http` becomes the response's.
          const { http, ...extensions } = { ...error.extensions, code: error.extensions['code'] ?? 'INTERNAL_SERVER_ERROR' } as Record<string, unknown> & { http?: { status?: number; headers?: Map<string, string> } };
          if (http?.status) status = http.status;
          for (const [name, value] of http?.headers ?? []) headers[name.toLowerCase()] = value;
          return options.formatError({ ...(error as GraphQLError).toJSON(), extensions }, error, contextValue.requestId);
        });
        const payload = errors.length > 0 ? { errors, data: result.data } : { data: result.data };
        served += 1;
        const seconds = (performance.now() - started) / 1000;
        const afterAnswer = () => {
          deferred.run();
          options.onResponse({ operationName: entry.operation.name?.value ?? null, type: entry.type, errors, seconds });
        };
        return { status, headers, contentType, body: `${JSON.stringify(payload)}\n`, afterAnswer };
      } catch (error) {
        deferred.run();
        throw error;
      }
    },
  };
}

/**
 * What a request's resolvers left for after its answer (AfterAnswer in payments/service.ts).
 * Tasks added once it has run, run at once: nothing is ever left behind.
 */
class Deferred {
  #tasks: Array<() => void | Promise<void>> | null = null;
  #done = false;

  constructor(private readonly onError: (error: unknown) => void) {}

  readonly add = (task: () => void | Promise<void>): void => {
    if (this.#done) this.#runOne(task);
    else (this.#tasks ??= []).push(task);
  };

  run(): void {
    if (this.#done) return;
    this.#done = true;
    const tasks = this.#tasks;
    this.#tasks = null;
    if (tasks) for (const task of tasks) this.#runOne(task);
  }

  #runOne(task: () => void | Promise<void>): void {
    try {
      const running = task();
      if (running instanceof Promise) running.catch(this.onError);
    } catch (error) {
      this.onError(error);
    }
  }
}
