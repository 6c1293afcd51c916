/**
 * The GraphiQL routes over HTTP: the page, its files, the headers on every response, and a
 * browser's GET /graphql, which gets the page while GraphQL requests still reach Apollo.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPHIQL_ASSET_DIR, loadGraphiQLAssets } from '../../src/graphiql/assets.js';
import { exampleDocument, registerGraphiQL } from '../../src/graphiql/index.js';
import { FULL_KEY, READ_KEY } from '../support/credentials.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { captureLog } from '../support/log-capture.js';
import { ASSET_POLICY, BROWSER_ACCEPT, get, pageConfig, pagePolicy } from './page.js';

const manifest = JSON.parse(readFileSync(join(GRAPHIQL_ASSET_DIR, 'manifest.json'), 'utf8')) as {
  script: string;
  style: string;
  workers: Record<'editor' | 'json' | 'graphql', string>;
};

describe('the GraphiQL page and its files', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ graphiql: { defaultHeaders: { Authorization: `Bearer ${FULL_KEY}` } } });
  });
  afterAll(() => gw.close());

  it('GET /graphiql: the page, under a strict CSP with a fresh style nonce, never cached', async () => {
    const first = await get(`${gw.server.url}/graphiql`);
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('text/html; charset=utf-8');
    const { nonce } = pageConfig(first.text);
    expect(first.headers['content-security-policy']).toBe(pagePolicy(nonce));
    expect(first.headers['x-content-type-options']).toBe('nosniff');
    expect(first.headers['referrer-policy']).toBe('no-referrer');
    expect(first.headers['cache-control']).toBe('no-store');
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{24}$/);
    expect(pageConfig((await get(`${gw.server.url}/graphiql`)).text).nonce).not.toBe(nonce);
  });

  it('the page has no inline script and names nothing off the gateway', async () => {
    const { text } = await get(`${gw.server.url}/graphiql`);
    const scripts = [...text.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts).toEqual([
      `<script type="module" src="/graphiql/${manifest.script}">`,
      expect.stringMatching(/^<script type="application\/json" id="graphiql-config" nonce="[^"]+">$/),
    ]);
    expect(text).toContain(`<link rel="stylesheet" href="/graphiql/${manifest.style}">`);
    expect(text).not.toMatch(/\bon[a-z]+=|style=|javascript:|https?:\/\//i);
  });

  it('serves every built file with its content type, the CSP and a year-long immutable cache', async () => {
    const files = readdirSync(GRAPHIQL_ASSET_DIR).filter((file) => file !== 'manifest.json' && !file.endsWith('.gz'));
    expect(files).toEqual(expect.arrayContaining([manifest.script, manifest.style, ...Object.values(manifest.workers)]));
    for (const file of files) {
      const response = await get(`${gw.server.url}/graphiql/${file}`);
      expect(response.status, file).toBe(200);
      expect(response.headers['content-type'], file).toBe(file.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8');
      expect(response.headers['content-security-policy'], file).toBe(ASSET_POLICY);
      expect(response.headers['x-content-type-options'], file).toBe('nosniff');
      expect(response.headers['referrer-policy'], file).toBe('no-referrer');
      expect(response.headers['cache-control'], file).toBe('public, max-age=31536000, immutable');
      expect(response.headers['vary'], file).toBe('accept-encoding');
      expect(response.headers['content-encoding'], file).toBeUndefined();
      expect(response.body.equals(readFileSync(join(GRAPHIQL_ASSET_DIR, file))), file).toBe(true);
    }
  });

  it('sends the build\'s gzip copy to a client that accepts gzip, the plain file otherwise', async () => {
    const plain = readFileSync(join(GRAPHIQL_ASSET_DIR, manifest.script));
    const url = `${gw.server.url}/graphiql/${manifest.script}`;
    const gzipped = await get(url, { 'accept-encoding': 'gzip, deflate, br' });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(gzipped.body.length).toBeLessThan(plain.length / 2);
    expect(gunzipSync(gzipped.body).equals(plain)).toBe(true);
    for (const refused of ['gzip;q=0', 'br', 'identity']) {
      const response = await get(url, { 'accept-encoding': refused });
      expect(response.headers['content-encoding'], refused).toBeUndefined();
      expect(response.body.equals(plain), refused).toBe(true);
    }
    // The .gz copies are not files of their own.
    expect((await get(`${url}.gz`)).status).toBe(404);
  });

  it('an unknown file is a 404 with the same headers; the manifest is not served', async () => {
    for (const path of ['/graphiql/nope.js', '/graphiql/manifest.json', '/graphiql/..%2Fpackage.json']) {
      const response = await get(`${gw.server.url}${path}`);
      expect(response.status, path).toBe(404);
      expect(response.headers['content-security-policy'], path).toBe(ASSET_POLICY);
      expect(response.headers['x-content-type-options'], path).toBe('nosniff');
    }
  });

  it('GET /graphiql/ is the page too', async () => {
    const response = await get(`${gw.server.url}/graphiql/`);
    expect(response.status).toBe(200);
    expect(pageConfig(response.text).config.endpoint).toBe('/graphql');
  });

  it('a browser opening /graphql gets the page, under the same headers', async () => {
    const response = await get(gw.server.graphqlUrl, { accept: BROWSER_ACCEPT });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    const { nonce, config } = pageConfig(response.text);
    expect(response.headers['content-security-policy']).toBe(pagePolicy(nonce));
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(config.endpoint).toBe('/graphql');
  });

  it('GraphQL GETs still reach Apollo: JSON answers, CSRF prevention on', async () => {
    const query = `${gw.server.graphqlUrl}?query=${encodeURIComponent('{__typename}')}`;
    const json = await get(query, { accept: 'application/json', authorization: `Bearer ${READ_KEY}`, 'apollo-require-preflight': 'true' });
    expect(json.status).toBe(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(json.text)).toEqual({ data: { __typename: 'Query' } });

    // A browser navigating to a query URL is a GraphQL GET, refused by CSRF prevention, as before.
    const navigated = await get(query, { accept: BROWSER_ACCEPT, authorization: `Bearer ${READ_KEY}` });
    expect(navigated.status).toBe(400);
    expect(navigated.text).toMatch(/CSRF/);

    // A persisted-query GET names no query, only its extensions.
    const extensions = encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } }));
    const persisted = await get(`${gw.server.graphqlUrl}?extensions=${extensions}`, {
      accept: BROWSER_ACCEPT,
      authorization: `Bearer ${READ_KEY}`,
      'apollo-require-preflight': 'true',
    });
    expect(JSON.parse(persisted.text)).toMatchObject({ errors: [{ extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] });

    const noQuery = await get(gw.server.graphqlUrl, { accept: 'application/json', authorization: `Bearer ${READ_KEY}`, 'apollo-require-preflight': 'true' });
    expect(noQuery.status).toBe(400);
    expect(noQuery.headers['content-type']).toMatch(/^application\/json/);
  });

  it('POST /graphql is untouched', async () => {
    expect((await gw.gql('{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
  });

  it('the configured headers prefill the headers editor', async () => {
    const { config } = pageConfig((await get(`${gw.server.url}/graphiql`)).text);
    expect(JSON.parse(config.defaultHeaders)).toEqual({ Authorization: `Bearer ${FULL_KEY}` });
  });
});

describe('GraphiQL options', () => {
  it('by default: a placeholder key and the example document with a placeholder id', async () => {
    const gw = await startTestGateway();
    try {
      const { text } = await get(`${gw.server.url}/graphiql`);
      const { config } = pageConfig(text);
      expect(JSON.parse(config.defaultHeaders)).toEqual({ Authorization: 'Bearer <your key>' });
      expect(config.defaultQuery).toBe(exampleDocument());
      expect(text).not.toMatch(/pgw_test_/);
    } finally {
      await gw.close();
    }
  });

  it('a document that contains </script> stays inside the data block', async () => {
    const document = '# </script><script>alert(1)</script> <!-- &amp; \u2028\n{ __typename }';
    const gw = await startTestGateway({ graphiql: { defaultDocument: document } });
    try {
      const { text } = await get(`${gw.server.url}/graphiql`);
      expect(pageConfig(text).config.defaultQuery).toBe(document);
      expect(text.match(/<\/script>/g)).toHaveLength(2);
      expect(text).not.toContain('<!--');
    } finally {
      await gw.close();
    }
  });

  it('graphiql: false serves no page, and a browser GET /graphql goes to Apollo', async () => {
    const gw = await startTestGateway({ graphiql: false });
    try {
      expect((await get(`${gw.server.url}/graphiql`)).status).toBe(404);
      expect((await get(`${gw.server.url}/graphiql/${manifest.script}`)).status).toBe(404);
      const browser = await get(gw.server.graphqlUrl, { accept: BROWSER_ACCEPT });
      expect(browser.headers['content-type']).not.toMatch(/html/);
    } finally {
      await gw.close();
    }
  });

  it('keeps only the gzipped copy where the build made one, and serves both encodings of every file; a corrupt copy is a plain 500', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'graphiql-assets-'));
    const script = 'export const answer = 42;\n'.repeat(50);
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ script: 'main.js', style: 'main.css' }));
    writeFileSync(join(dir, 'main.js'), script);
    writeFileSync(join(dir, 'main.js.gz'), gzipSync(script));
    writeFileSync(join(dir, 'main.css'), 'body { margin: 0 }\n');
    writeFileSync(join(dir, 'font.woff2'), Buffer.from([0, 1, 2, 3]));
    writeFileSync(join(dir, 'broken.js'), 'let x;\n');
    writeFileSync(join(dir, 'broken.js.gz'), 'not gzip');
    const assets = loadGraphiQLAssets(dir)!;
    expect(assets.files.get('main.js')!.gzip!.equals(gzipSync(script))).toBe(true);
    expect(assets.files.get('main.css')!.gzip).toBeUndefined();
    // Requests at the same time share one gunzip; while its result is alive, it is reused.
    const [first, second] = await Promise.all([assets.files.get('main.js')!.identity(), assets.files.get('main.js')!.identity()]);
    expect(first.toString()).toBe(script);
    expect(second).toBe(first);
    expect(await assets.files.get('main.js')!.identity()).toBe(first);
    // A damaged copy fails every time (a failure is not kept).
    await expect(assets.files.get('broken.js')!.identity()).rejects.toThrow();
    await expect(assets.files.get('broken.js')!.identity()).rejects.toThrow();

    const log = captureLog();
    const app = Fastify();
    registerGraphiQL(app, { endpoint: '/graphql', logger: log.logger, assetDir: dir });
    try {
      const gzipped = await app.inject({ url: '/graphiql/main.js', headers: { 'accept-encoding': 'gzip' } });
      expect(gzipped.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gzipped.rawPayload).toString()).toBe(script);
      const plain = await app.inject({ url: '/graphiql/main.js' });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body).toBe(script);
      // No gzipped copy: the file itself, whatever the client accepts.
      for (const encoding of ['gzip', 'identity']) {
        const css = await app.inject({ url: '/graphiql/main.css', headers: { 'accept-encoding': encoding } });
        expect(css.headers['content-encoding']).toBeUndefined();
        expect(css.body).toBe('body { margin: 0 }\n');
      }
      const font = await app.inject({ url: '/graphiql/font.woff2' });
      expect(font.headers['content-type']).toBe('font/woff2');
      expect(font.rawPayload.equals(Buffer.from([0, 1, 2, 3]))).toBe(true);
      const broken = await app.inject({ url: '/graphiql/broken.js' });
      expect(broken.statusCode).toBe(500);
      expect(broken.body).toBe('Internal error\n');
      expect(broken.headers['cache-control']).toBe('no-store');
      expect(log.records()).toContainEqual(expect.objectContaining({ level: 50, file: 'broken.js', msg: 'a GraphiQL file could not be gunzipped' }));
    } finally {
      await app.close();
    }
  });

  it('without a build: /graphiql answers 503 with a hint, /graphql is left alone, and a warning is logged', async () => {
    const log = captureLog();
    const app = Fastify();
    const graphiql = registerGraphiQL(app, { endpoint: '/graphql', logger: log.logger, assetDir: mkdtempSync(join(tmpdir(), 'no-graphiql-')) });
    app.get('/graphql', { onRequest: graphiql.pageForBrowsers }, async () => ({ apollo: true }));
    try {
      const page = await app.inject({ url: '/graphiql' });
      expect(page.statusCode).toBe(503);
      expect(page.body).toMatch(/npm run build/);
      expect(page.headers['content-security-policy']).toBe(ASSET_POLICY);
      expect((await app.inject({ url: '/graphql', headers: { accept: BROWSER_ACCEPT } })).json()).toEqual({ apollo: true });
      expect(log.records()).toContainEqual(expect.objectContaining({ level: 40, msg: expect.stringMatching(/GraphiQL is not built/) }));
    } finally {
      await app.close();
    }
  });
});
