/**
 * Builds the gateway's offline GraphiQL page (web/graphiql/) into dist/graphiql/: GraphiQL 5
 * with React, Monaco's three workers and the CSS, as content-hashed static files, plus
 * manifest.json naming the page's script and stylesheet for src/graphiql/ to serve.
 *
 * Uses esbuild's JS API, which runs its platform binary from @esbuild/<platform> (an optional
 * dependency npm installs with or without install scripts).
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { constants as zlibConstants, gzip } from 'node:zlib';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/graphiql`;

const common = {
  absWorkingDir: root,
  bundle: true,
  minify: true,
  platform: 'browser',
  target: ['es2022'],
  outdir,
  metafile: true,
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
};

/**
 * graphiql/style.css already carries Monaco's CSS (with its codicon font inlined): the CSS files
 * Monaco's own modules import would load it a second time, into chunks no page links.
 */
const monacoCssFromGraphiQL = {
  name: 'monaco-css-from-graphiql',
  setup(build) {
    build.onResolve({ filter: /\.css$/ }, (args) => (/[\\/]node_modules[\\/]monaco-editor[\\/]/.test(args.importer) ? { path: args.path, namespace: 'monaco-css' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'monaco-css' }, () => ({ contents: '', loader: 'empty' }));
  },
};

/** The file name (under outdir) built from each entry point, by entry name. */
function entryOutputs(metafile, entryPoints) {
  const byPath = new Map(Object.entries(entryPoints).map(([name, path]) => [path, name]));
  const outputs = {};
  for (const [file, output] of Object.entries(metafile.outputs)) {
    const name = output.entryPoint && byPath.get(output.entryPoint);
    if (name) outputs[name] = { script: basename(file), style: output.cssBundle && basename(output.cssBundle) };
  }
  return outputs;
}

const started = performance.now();
await rm(outdir, { recursive: true, force: true });

// Workers first: the page's bundle needs their hashed names.
const workerEntries = {
  editor: 'node_modules/monaco-editor/esm/vs/editor/editor.worker.js',
  json: 'node_modules/monaco-editor/esm/vs/language/json/json.worker.js',
  graphql: 'node_modules/monaco-graphql/esm/graphql.worker.js',
};
const workers = await esbuild.build({ ...common, entryPoints: workerEntries, entryNames: '[name]-worker-[hash]', format: 'iife' });
const workerFiles = Object.fromEntries(Object.entries(entryOutputs(workers.metafile, workerEntries)).map(([name, output]) => [name, output.script]));

const pageEntries = { main: 'web/graphiql/main.tsx' };
const page = await esbuild.build({
  ...common,
  entryPoints: pageEntries,
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  assetNames: '[name]-[hash]',
  format: 'esm',
  splitting: true,
  jsx: 'automatic',
  plugins: [monacoCssFromGraphiQL],
  define: { ...common.define, GRAPHIQL_WORKERS: JSON.stringify(workerFiles) },
});
const { script, style } = entryOutputs(page.metafile, pageEntries).main ?? {};
if (!script || !style || Object.keys(workerFiles).length !== 3) throw new Error('GraphiQL build: the page script, its stylesheet or a worker is missing');

// A gzip copy of every script and stylesheet (7 MB become about 2): the gateway sends it to
// browsers that accept gzip, compressed once here rather than on every request.
const gzipAsync = promisify(gzip);
for (const name of await readdir(outdir)) {
  if (!/\.(js|css)$/.test(name)) continue;
  const compressed = await gzipAsync(await readFile(`${outdir}/${name}`), { level: zlibConstants.Z_BEST_COMPRESSION });
  await writeFile(`${outdir}/${name}.gz`, compressed);
}

await writeFile(`${outdir}/manifest.json`, `${JSON.stringify({ script, style, workers: workerFiles }, null, 2)}\n`);

const bytes = [workers, page].flatMap((result) => Object.values(result.metafile.outputs)).reduce((sum, output) => sum + output.bytes, 0);
console.log(`GraphiQL built into dist/graphiql: ${(bytes / 1e6).toFixed(1)} MB in ${Math.round(performance.now() - started)} ms`);
