/**
 * GraphiQL's fetcher: one JSON POST to the gateway with the headers editor's content. A JSON
 * POST passes Apollo's CSRF prevention; no cookies are sent (the gateway authenticates by header).
 */
export interface GraphQLParams {
  readonly query: string;
  readonly operationName?: string | null;
  readonly variables?: unknown;
}

export interface FetcherOptions {
  readonly headers?: Record<string, unknown>;
}

export interface PageFetcher {
  fetcher(params: GraphQLParams, options?: FetcherOptions): Promise<unknown>;
  /** For GraphiQL's onEditHeaders: the headers editor exists and its content changed. */
  headersEdited(): void;
}

/**
 * GraphiQL fetches the schema as soon as it mounts, before Monaco (loaded lazily) has created
 * the headers editor, and then passes no headers: a 401 here, and no schema for the docs and
 * completion. Until that editor reports a change its content is still `initialHeaders`, so
 * that is what a request without headers carries; after a change, GraphiQL's headers rule.
 */
export function createPageFetcher(endpoint: string, initialHeaders: Readonly<Record<string, unknown>>): PageFetcher {
  let edited = false;
  return {
    headersEdited() {
      edited = true;
    },
    async fetcher(params, options) {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(options?.headers ?? (edited ? {} : initialHeaders))) headers[name] = String(value);
      const response = await fetch(endpoint, {
        method: 'POST',
        credentials: 'omit',
        headers: { ...headers, 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
        body: JSON.stringify({ query: params.query, operationName: params.operationName ?? undefined, variables: params.variables ?? undefined }),
      });
      const text = await response.text();
      try {
        return JSON.parse(text);
      } catch {
        // Not a GraphQL response (a proxy's error page, say): show what came back.
        return { errors: [{ message: `HTTP ${response.status} ${response.statusText}: ${text.slice(0, 500)}` }] };
      }
    },
  };
}
