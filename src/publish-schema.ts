/**
 * `npm run schema:publish`: writes schema.graphql from the served schema. Refuses a breaking
 * change to the published contract unless run with `--allow-breaking`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSchema, findBreakingChanges } from 'graphql';
import { printPublishedSchema } from './graphql/published-schema.js';

const path = fileURLToPath(new URL('../../schema.graphql', import.meta.url));
const next = printPublishedSchema();
if (existsSync(path) && !process.argv.includes('--allow-breaking')) {
  const breaking = findBreakingChanges(buildSchema(readFileSync(path, 'utf8')), buildSchema(next));
  if (breaking.length > 0) {
    process.stderr.write(`Breaking changes to the published schema (run with --allow-breaking to publish anyway):\n${breaking.map((change) => `  ${change.type}: ${change.description}`).join('\n')}\n`);
    process.exit(1);
  }
}
writeFileSync(path, next);
process.stdout.write(`wrote ${path}\n`);
