import { describe, expect, it } from 'vitest';
import { prefersHtml } from '../../src/graphiql/accept.js';

describe('prefersHtml: a browser opening /graphql, not a GraphQL client', () => {
  it.each([
    ['Chromium navigating', 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8', true],
    ['Firefox navigating', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', true],
    ['HTML only', 'text/html', true],
    ['upper case, spaces', ' TEXT/HTML ; q=1 ', true],
    ['HTML preferred by quality', 'application/json;q=0.5, text/html', true],
    ['HTML first on a tie', 'text/html, application/json', true],
    ['no header', undefined, false],
    ['empty header', '', false],
    ['a GraphQL client', 'application/graphql-response+json, application/json;q=0.9', false],
    ['JSON only', 'application/json', false],
    ['wildcard only (curl)', '*/*', false],
    ['JSON first on a tie', 'application/json, text/html', false],
    ['JSON preferred by quality', 'text/html;q=0.5, application/json', false],
    ['HTML refused', 'text/html;q=0, */*', false],
    ['a malformed quality is no preference', 'text/html;q=abc', false],
  ])('%s: %j → %s', (_label, accept, expected) => {
    expect(prefersHtml(accept)).toBe(expected);
  });
});
