/**
 * The page's configuration: a non-executing JSON data block the gateway writes into the page
 * (`<script type="application/json" id="graphiql-config">`), so no inline script is needed.
 * Its shape is PageConfig in src/graphiql/page.ts, which writes it.
 */
export interface PageConfig {
  /** Path of the GraphQL endpoint, e.g. /graphql. */
  readonly endpoint: string;
  /** The operations editor's content on a first visit. */
  readonly defaultQuery: string;
  /** The headers editor's content (JSON text); never persisted by the page. */
  readonly defaultHeaders: string;
}

export function readPageConfig(): PageConfig {
  const text = document.getElementById('graphiql-config')?.textContent;
  if (!text) throw new Error('GraphiQL: the page carries no #graphiql-config block');
  const value: unknown = JSON.parse(text);
  if (!isPageConfig(value)) throw new Error('GraphiQL: #graphiql-config is not {endpoint, defaultQuery, defaultHeaders}');
  return value;
}

function isPageConfig(value: unknown): value is PageConfig {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.endpoint === 'string' && typeof record.defaultQuery === 'string' && typeof record.defaultHeaders === 'string';
}
