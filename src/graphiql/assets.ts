/**
 * The GraphiQL page's static files, built by scripts/build-graphiql.mjs into dist/graphiql/ and
 * read into memory once at start-up. A file the build gzipped is kept only gzipped (about 2 MB
 * instead of 9 MB in all): every browser accepts gzip, and the rare client that does not gets
 * the bytes gunzipped on the thread pool.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

const gunzipAsync = promisify(gunzip);

/**
 * The file's own bytes from its gzipped copy. Requests at the same time share one gunzip,
 * and the result is reused for as long as it is alive anyway (a WeakRef: the garbage
 * collector may take it once no response holds it), so a burst of such requests costs one
 * gunzip, not one each, and an idle gateway keeps only the gzipped bytes.
 */
function gunzipping(gzip: Buffer): () => Promise<Buffer> {
  let recent: WeakRef<Buffer> | undefined;
  let running: Promise<Buffer> | undefined;
  return () => {
    const alive = recent?.deref();
    if (alive) return Promise.resolve(alive);
    running ??= gunzipAsync(gzip).then(
      (body) => {
        recent = new WeakRef(body);
        running = undefined;
        return body;
      },
      (error: unknown) => {
        running = undefined;
        throw error;
      },
    );
    return running;
  };
}

/**
 * dist/graphiql/: from the build (dist/src/graphiql/assets.js) two levels up; from the sources
 * (src/graphiql/assets.ts, as the tests run them) under dist/.
 */
export const GRAPHIQL_ASSET_DIR = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../../dist/graphiql/' : '../../graphiql/', import.meta.url));

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface GraphiQLAsset {
  readonly contentType: string;
  /** The file gzipped (`<name>.gz` from the build: scripts and stylesheets), if the build made one. */
  readonly gzip: Buffer | undefined;
  /** The file's own bytes: from memory when it has no gzipped copy, else gunzipped from it. */
  readonly identity: () => Promise<Buffer>;
}

export interface GraphiQLAssets {
  /** The page's module script and stylesheet: file names under /graphiql/. */
  readonly script: string;
  readonly style: string;
  /** Every servable file by name (names are content-hashed: they never change). */
  readonly files: ReadonlyMap<string, GraphiQLAsset>;
}

/** The built files, or null when GraphiQL was not built (no manifest.json). */
export function loadGraphiQLAssets(dir: string = GRAPHIQL_ASSET_DIR): GraphiQLAssets | null {
  const manifestPath = `${dir}/manifest.json`;
  if (!existsSync(manifestPath)) return null;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { script?: unknown; style?: unknown };
  const files = new Map<string, GraphiQLAsset>();
  for (const name of readdirSync(dir)) {
    const contentType = CONTENT_TYPES[extname(name)];
    if (!contentType) continue;
    const gzipPath = `${dir}/${name}.gz`;
    if (existsSync(gzipPath)) {
      const gzip = readFileSync(gzipPath);
      files.set(name, { contentType, gzip, identity: gunzipping(gzip) });
    } else {
      const body = readFileSync(`${dir}/${name}`);
      files.set(name, { contentType, gzip: undefined, identity: () => Promise.resolve(body) });
    }
  }
  const { script, style } = manifest;
  if (typeof script !== 'string' || typeof style !== 'string' || !files.has(script) || !files.has(style)) {
    throw new Error(`${manifestPath} names no script and stylesheet that exist: rebuild with npm run build`);
  }
  return { script, style, files };
}
