/**
 * Whether a GET /graphql comes from a browser navigating to it (serve GraphiQL) rather than
 * from a GraphQL client (leave it to Apollo).
 */
const GRAPHQL_TYPES = new Set(['application/json', 'application/graphql-response+json']);

interface Preference {
  readonly q: number;
  readonly position: number;
}

/**
 * True when the Accept header names text/html with a quality above zero and above every
 * GraphQL media type it names (on a tie, the one listed first wins). Wildcards count for
 * neither: a client sending only `*\/*` gets GraphQL, as before.
 */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  let html: Preference | null = null;
  let graphql: Preference | null = null;
  const ranges = accept.split(',');
  for (let position = 0; position < ranges.length; position++) {
    const [type = '', ...parameters] = ranges[position]!.split(';').map((part) => part.trim().toLowerCase());
    const qParameter = parameters.find((parameter) => parameter.startsWith('q='));
    const q = qParameter === undefined ? 1 : Number(qParameter.slice(2));
    if (!(q > 0)) continue;
    if (type === 'text/html' && (html === null || q > html.q)) html = { q, position };
    if (GRAPHQL_TYPES.has(type) && (graphql === null || q > graphql.q)) graphql = { q, position };
  }
  if (html === null) return false;
  if (graphql === null) return true;
  return html.q > graphql.q || (html.q === graphql.q && html.position < graphql.position);
}
