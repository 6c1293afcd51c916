import { defineConfig } from 'vitest/config';

// Every test runs in a time zone 14 hours from UTC, so a timestamp read as local time
// (Primer's zone-less dates) cannot pass by accident. Workers inherit this.
process.env.TZ = 'Pacific/Kiritimati';

export default defineConfig({
  resolve: {
    // Node resolves `graphql` to its CommonJS build (it has no "exports" map), as Apollo
    // Server does; Vite would pick the ".mjs" build for our files and load graphql twice,
    // breaking `instanceof GraphQLError`. Resolve it the way Node does in production.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Builds dist/ once for the tests that run the gateway as its own process.
    globalSetup: ['test/support/build.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // No sleeps, no retries: a flaky test is a bug to fix.
    retry: 0,
  },
});
