/**
 * schema.graphql is the served schema, and no commit breaks the published contract.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildClientSchema, buildSchema, findBreakingChanges, getIntrospectionQuery, type IntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printPublishedSchema } from '../src/graphql/published-schema.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const published = readFileSync(`${ROOT}/schema.graphql`, 'utf8');

/** The previous published schema in git: HEAD's when the file has uncommitted changes, else the one before the last change. */
function previousPublished(): string | null {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const atHead = git('show', 'HEAD:schema.graphql');
    if (atHead !== published) return atHead;
    const [, before] = git('log', '--format=%H', '-n', '2', '--', 'schema.graphql').trim().split('\n');
    return before ? git('show', `${before}:schema.graphql`) : null;
  } catch {
    return null; // not a git checkout, or the file is new
  }
}

describe('the published schema', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.close());

  it('is what the server serves (run `npm run schema:publish` after changing schema/)', async () => {
    const response = await gw.gql(getIntrospectionQuery({ descriptions: true }));
    const served = buildClientSchema(response.body.data as unknown as IntrospectionQuery);
    expect(printPublishedSchema(served)).toBe(published);
  });

  it('makes no breaking change to the previous published version', () => {
    const previous = previousPublished();
    if (previous === null) return; // the first published version: nothing to break
    const breaking = findBreakingChanges(buildSchema(previous), buildSchema(published));
    expect(breaking.map((change) => `${change.type}: ${change.description}`)).toEqual([]);
  });

  it('the check does catch a breaking change', () => {
    const removed = published.replace('paymentByProviderId(', 'paymentByProviderRef(');
    expect(removed).not.toBe(published);
    expect(findBreakingChanges(buildSchema(published), buildSchema(removed)).map((change) => change.type)).toContain('FIELD_REMOVED');
  });
});
