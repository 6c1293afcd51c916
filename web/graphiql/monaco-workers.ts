/**
 * Monaco's three workers (the editor's own, JSON for the variables/headers editors, GraphQL),
 * built by scripts/build-graphiql.mjs as same-origin files next to this bundle. Their hashed
 * names are compiled in; resolved from this module's URL so the page works under any prefix.
 */
declare const GRAPHIQL_WORKERS: { readonly editor: string; readonly json: string; readonly graphql: string };

function workerUrl(label: string): URL {
  const file = label === 'json' ? GRAPHIQL_WORKERS.json : label === 'graphql' ? GRAPHIQL_WORKERS.graphql : GRAPHIQL_WORKERS.editor;
  return new URL(`./${file}`, import.meta.url);
}

(self as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    return new Worker(workerUrl(label), { name: label });
  },
};
