// `npm run schema:release -- --note "…" [--breaking "<reason>"]`: accepts the current API schema
// (gateway/api-schema.graphql, from the checked-in supergraph) as the released contract and appends
// the release's entry, generated from the diff, to docs/api-changes.md. Refuses a release that breaks
// elements not deprecated before, unless --breaking gives the reason, which the entry records.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { currentApiSchemaSdl, planRelease, RELEASED_API_SCHEMA_PATH } from '../src/api-contract';

const CHANGELOG_PATH = path.join(__dirname, '..', '..', 'docs', 'api-changes.md');

const { values } = parseArgs({ options: { note: { type: 'string' }, breaking: { type: 'string' } } });
const outcome = planRelease({
  releasedSdl: existsSync(RELEASED_API_SCHEMA_PATH) ? readFileSync(RELEASED_API_SCHEMA_PATH, 'utf8') : null,
  currentSdl: currentApiSchemaSdl(),
  note: values.note ?? '',
  breakingReason: values.breaking,
  date: new Date().toISOString().slice(0, 10),
});
if (outcome.kind === 'refused') {
  console.error(outcome.message);
  process.exit(1);
}
if (outcome.kind === 'unchanged') {
  console.log('The API schema is the released one: nothing to release.');
} else {
  writeFileSync(RELEASED_API_SCHEMA_PATH, currentApiSchemaSdl());
  appendFileSync(CHANGELOG_PATH, `\n${outcome.entry}`);
  console.log(`Released; the entry appended to docs/api-changes.md:\n\n${outcome.entry}`);
}
