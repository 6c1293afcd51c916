/**
 * Trusted documents (TRUSTED_DOCUMENTS): a gateway given the typed-client example's
 * persisted-documents manifest runs those documents, by hash or by exact text, and refuses
 * every other document before any provider call, except for callers with documents:any.
 * Apollo's APQ cache becomes read-only: no client can register a document.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex as keyHash, type AuthConfig } from '../../src/auth/index.js';
import { loadTrustedDocuments, TRUSTED_DOCUMENTS_ERROR_CODE } from '../../src/graphql/plugins/trusted-documents.js';
import { HMAC_SEED_IDS, PRIMER_SEED_IDS } from '../../src/sandboxes/index.js';
import { cancelPayment } from '../../examples/typed-client/src/cancel.js';
import { FULL_KEY, READ_KEY, TEST_API_KEYS } from '../support/credentials.js';
import { globalId, startTestGateway, type TestGateway } from '../support/gateway.js';
import { killAll, postGraphQL, runGateway } from '../support/process.js';

const MANIFEST = fileURLToPath(new URL('../../examples/typed-client/src/gql/persisted-documents.json', import.meta.url));
const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, string>;

const STAFF_KEY = 'pgw_test_staff_9d2f6b1a0c7e4e38a5f1';
const AUTH: AuthConfig = {
  apiKeys: [...TEST_API_KEYS, { name: 'staff-graphiql', keySha256: keyHash(STAFF_KEY), scopes: ['payments:read', 'payments:cancel', 'documents:any'] }],
  jwt: null,
};

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The manifest's text and bare hash of the operation named `name`. */
function manifestDocument(name: string): { text: string; hash: string } {
  for (const [key, text] of Object.entries(manifest)) {
    if (new RegExp(`\\b(query|mutation) ${name}\\b`).test(text)) return { text, hash: key.slice('sha256:'.length) };
  }
  throw new Error(`no operation ${name} in the manifest`);
}

interface Answer {
  status: number;
  body: { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

describe('trusted documents', () => {
  let gw: TestGateway;
  const provided = () => gw.hmac.requests.length + gw.primer.requests.length;

  async function post(body: Record<string, unknown>, credential = FULL_KEY): Promise<Answer> {
    const response = await request(gw.server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
      body: JSON.stringify(body),
    });
    return { status: response.statusCode, body: (await response.body.json()) as Answer['body'] };
  }
  const byHash = (hash: string, variables: Record<string, unknown>, credential?: string) =>
    post({ variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }, credential);
  const codeOf = (answer: Answer) => answer.body.errors?.[0]?.extensions?.['code'];

  beforeAll(async () => {
    gw = await startTestGateway({ auth: AUTH, trustedDocuments: loadTrustedDocuments(MANIFEST) });
  });
  afterAll(async () => {
    await gw?.close();
  });
  beforeEach(() => gw.reset());

  const paymentId = globalId('PRIMER', PRIMER_SEED_IDS.authorizedUsd);

  it('runs a manifest document sent by its hash alone', async () => {
    const { hash } = manifestDocument('Payment');
    const answer = await byHash(hash, { id: paymentId });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.['payment']).toMatchObject({ id: paymentId, provider: 'PRIMER', status: 'AUTHORIZED' });
  });

  it('runs a manifest document sent as its exact text (with or without its hash)', async () => {
    const { text, hash } = manifestDocument('Payment');
    const plain = await post({ query: text, variables: { id: paymentId } });
    expect(plain.body.errors).toBeUndefined();
    expect(plain.body.data?.['payment']).toMatchObject({ id: paymentId });
    const withHash = await post({ query: text, variables: { id: paymentId }, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
    expect(withHash.body.data?.['payment']).toMatchObject({ id: paymentId });
  });

  it('refuses any other document with HTTP 400 PERSISTED_QUERY_NOT_IN_LIST and no provider call', async () => {
    const { text } = manifestDocument('Payment');
    const refusals = [
      // An arbitrary query.
      `{ payment(id: "${paymentId}") { status } }`,
      // The manifest's text, reformatted: not the exact text.
      text.replace(' ', '  '),
      // A cancel not in the manifest.
      `mutation { cancelPayment(input: { id: "${globalId('HMAC', HMAC_SEED_IDS.requiresCaptureThb)}" }) { __typename } }`,
      // Introspection.
      '{ __schema { queryType { name } } }',
    ];
    for (const query of refusals) {
      const answer = await post({ query });
      expect(answer.status, query).toBe(400);
      expect(codeOf(answer), query).toBe(TRUSTED_DOCUMENTS_ERROR_CODE);
      expect(answer.body.data, query).toBeUndefined();
    }
    expect(provided()).toBe(0);
  });

  it('an unknown hash is PERSISTED_QUERY_NOT_FOUND, and APQ cannot register a new document', async () => {
    const query = `{ payment(id: "${paymentId}") { status } }`;
    const hash = sha256(query);
    expect(codeOf(await byHash(hash, {}))).toBe('PERSISTED_QUERY_NOT_FOUND');
    // The APQ registration request (text with its hash) is refused...
    const register = await post({ query, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
    expect(register.status).toBe(400);
    expect(codeOf(register)).toBe(TRUSTED_DOCUMENTS_ERROR_CODE);
    // ...and registers nothing, even when sent by a caller who may run it.
    await post({ query, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }, STAFF_KEY);
    expect(codeOf(await byHash(hash, {}))).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(codeOf(await byHash(hash, {}, STAFF_KEY))).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('a caller with documents:any (staff in GraphiQL) runs any document, introspection included', async () => {
    const read = await post({ query: `{ payment(id: "${paymentId}") { status } }` }, STAFF_KEY);
    expect(read.body).toEqual({ data: { payment: { status: 'AUTHORIZED' } } });
    const schema = await post({ query: '{ __schema { queryType { name } } }' }, STAFF_KEY);
    expect(schema.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  it('scopes still apply to manifest documents: a read-only caller cannot cancel', async () => {
    const { hash } = manifestDocument('CancelPayment');
    const answer = await byHash(hash, { input: { id: globalId('HMAC', HMAC_SEED_IDS.requiresCaptureThb) } }, READ_KEY);
    expect(codeOf(answer)).toBe('FORBIDDEN');
    expect(provided()).toBe(0);
  });

  it('the typed client cancels through a gateway that runs trusted documents only', async () => {
    const id = globalId('HMAC', HMAC_SEED_IDS.requiresCaptureThb);
    const line = await cancelPayment({ url: gw.server.graphqlUrl, apiKey: FULL_KEY, id, reason: 'Customer asked' });
    expect(line).toBe(`Cancelled payment ${id} (1000.00 THB): status CANCELED.`);
    expect(gw.hmac.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });
});

describe('loading a manifest', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'trusted-documents-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const doc = '{ payment(id: "x") { id } }';

  it('loads the example manifest: every document, keyed by bare hex', () => {
    const docs = loadTrustedDocuments(MANIFEST);
    expect(docs.size).toBe(Object.keys(manifest).length);
    for (const [key, text] of Object.entries(manifest)) expect(docs.get(key.slice('sha256:'.length))).toBe(text);
  });

  it.each([
    ['a missing file', () => join(dir, 'nope.json'), /no such file/],
    ['a directory', () => dir, /is a directory/],
    ['not JSON', () => write('bad.json', '{"sha256:'), /is not valid JSON/],
    ['an array', () => write('array.json', '[]'), /must be a JSON object/],
    ['a bad key', () => write('key.json', JSON.stringify({ [`md5:${sha256(doc)}`]: doc })), /entry 1: the key must be "sha256:"/],
    ['a text that does not hash to its key', () => write('hash.json', JSON.stringify({ [`sha256:${sha256('other')}`]: doc })), /does not hash to its key/],
    ['a text that is not GraphQL', () => write('syntax.json', JSON.stringify({ [`sha256:${sha256('{ oops')}`]: '{ oops' })), /is not a GraphQL document/],
    ['no documents', () => write('empty.json', '{}'), /holds no documents/],
  ])('refuses %s with a message naming the file, never quoting a document', (_name, path, message) => {
    const file = path();
    expect(() => loadTrustedDocuments(file)).toThrow(message);
    try {
      loadTrustedDocuments(file);
    } catch (error) {
      expect((error as Error).message).toContain(file);
      expect((error as Error).message).not.toContain('oops');
      expect((error as Error).message).not.toContain('payment(');
    }
  });
});

describe('npm start with TRUSTED_DOCUMENTS', () => {
  afterEach(killAll);

  it('says so at start-up and runs only the manifest for ordinary callers', async () => {
    const gateway = runGateway({ TRUSTED_DOCUMENTS: MANIFEST, GATEWAY_API_KEYS: JSON.stringify(TEST_API_KEYS) });
    const url = await gateway.graphqlUrl();
    expect(gateway.stdout()).toContain(`Trusted documents only: ${Object.keys(manifest).length} from ${MANIFEST}`);
    const arbitrary = await postGraphQL(url, '{ __typename }', undefined, FULL_KEY);
    expect(arbitrary.status).toBe(400);
    expect(arbitrary.body.errors[0].extensions.code).toBe(TRUSTED_DOCUMENTS_ERROR_CODE);
    const { text } = manifestDocument('Payment');
    const trusted = await postGraphQL(url, text, { id: globalId('HMAC', HMAC_SEED_IDS.succeededThb) }, FULL_KEY);
    expect(trusted.body.data.payment).toMatchObject({ provider: 'HMAC', status: 'SUCCEEDED' });
    expect(await gateway.stop()).toBe(0);
  });

  it('refuses to start with an unusable manifest, naming the variable', async () => {
    const gateway = runGateway({ TRUSTED_DOCUMENTS: join(tmpdir(), 'no-such-manifest.json') });
    expect(await gateway.exit()).toBe(2);
    expect(gateway.stderr()).toMatch(/TRUSTED_DOCUMENTS/);
    expect(gateway.stderr()).toMatch(/no such file/);
  });
});
