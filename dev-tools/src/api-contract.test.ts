import { readFileSync } from 'node:fs';
import {
  API_SCHEMA_PATH,
  compareApiSchemaSdl,
  currentApiSchemaSdl,
  formatChanges,
  planRelease,
  RELEASED_API_SCHEMA_PATH,
  type SchemaChange,
} from './api-contract';

describe('the released API contract', () => {
  it('api-schema.graphql is the API schema of the checked-in supergraph', () => {
    expect(readFileSync(API_SCHEMA_PATH, 'utf8')).toBe(currentApiSchemaSdl());
  });

  it('the current API schema breaks nothing the released contract did not deprecate', () => {
    const diff = compareApiSchemaSdl(readFileSync(RELEASED_API_SCHEMA_PATH, 'utf8'), currentApiSchemaSdl());
    if (diff.breaking.length > 0) {
      throw new Error(
        `The API schema breaks the released contract (gateway/api-schema.released.graphql):\n${formatChanges(diff.breaking)}\n` +
          'Deprecate first (deprecationReason) and remove in a later release, or release the break on purpose: ' +
          'npm run schema:release -- --note "…" --breaking "<reason>" (docs/api-changes.md).',
      );
    }
  });
});

const RELEASED = `
type Query {
  """A region by code."""
  region(code: String!, level: Level, language: String = "EN"): Region
  regions(filter: RegionFilter): [Region!]!
  legacyReport: LegacyReport @deprecated(reason: "Use region.")
}

type Region {
  code: String!
  name: String!
  population: Int
  oldName: String @deprecated(reason: "Use name.")
}

type LegacyReport {
  text: String
}

enum Level {
  STATE
  COUNTY
  MUNICIPALITY
  SAMTGEMEINDE @deprecated(reason: "Use MUNICIPAL_ASSOCIATION.")
}

input RegionFilter {
  search: String
  level: Level
}
`;

/** The released schema with one edit: `from` replaced by `to` (which must occur once). */
function planted(from: string | RegExp, to: string): string {
  const changed = RELEASED.replace(from, to);
  if (changed === RELEASED) throw new Error(`not in the schema: ${String(from)}`);
  return changed;
}

const summary = (changes: readonly SchemaChange[]) => changes.map(({ coordinate, kind }) => `${coordinate} ${kind}`);

describe('comparing an API schema with the released contract', () => {
  it.each([
    ['a removed field', planted('  population: Int\n', ''), ['Region.population FIELD_REMOVED']],
    ['a removed enum value', planted('  COUNTY\n', ''), ['Level.COUNTY VALUE_REMOVED_FROM_ENUM']],
    ['an argument made non-null', planted('level: Level,', 'level: Level!,'), ['Query.region(level:) ARG_CHANGED_KIND']],
    ['a field of another type', planted('population: Int', 'population: Float'), ['Region.population FIELD_CHANGED_KIND']],
    ['a removed argument', planted('code: String!, ', ''), ['Query.region(code:) ARG_REMOVED']],
    [
      'a required argument added',
      planted('regions(filter: RegionFilter)', 'regions(filter: RegionFilter, year: Int!)'),
      ['Query.regions(year:) REQUIRED_ARG_ADDED'],
    ],
    ['a removed input field', planted('  search: String\n', ''), ['RegionFilter.search FIELD_REMOVED']],
  ])('reports %s as breaking, by coordinate and kind', (_what, current, expected) => {
    const diff = compareApiSchemaSdl(RELEASED, current);
    expect(summary(diff.breaking)).toEqual(expected);
    expect(diff.retired).toEqual([]);
  });

  it('describes each breaking change in graphql-js words', () => {
    const diff = compareApiSchemaSdl(RELEASED, planted('level: Level,', 'level: Level!,'));
    expect(formatChanges(diff.breaking)).toBe(
      '- Query.region(level:) [ARG_CHANGED_KIND] Query.region arg level has changed type from Level to Level!.',
    );
  });

  it.each([
    ['a deprecated field', planted('  oldName: String @deprecated(reason: "Use name.")\n', ''), ['Region.oldName FIELD_REMOVED']],
    [
      'a deprecated enum value',
      planted('  SAMTGEMEINDE @deprecated(reason: "Use MUNICIPAL_ASSOCIATION.")\n', ''),
      ['Level.SAMTGEMEINDE VALUE_REMOVED_FROM_ENUM'],
    ],
    [
      'a deprecated field with the type only it reached',
      planted(/ {2}legacyReport: .*\n/, '').replace(/type LegacyReport \{\n {2}text: String\n\}\n/, ''),
      ['LegacyReport TYPE_REMOVED', 'Query.legacyReport FIELD_REMOVED'],
    ],
  ])('lets %s go: it was deprecated in the released contract', (_what, current, expected) => {
    const diff = compareApiSchemaSdl(RELEASED, current);
    expect(diff.breaking).toEqual([]);
    expect(summary(diff.retired).sort()).toEqual(expected);
  });

  it('lists dangerous changes (an enum value added, a default changed) without calling them breaking', () => {
    const diff = compareApiSchemaSdl(
      RELEASED,
      planted('  STATE\n', '  STATE\n  DISTRICT\n').replace('language: String = "EN"', 'language: String = "DE"'),
    );
    expect(diff.breaking).toEqual([]);
    expect(summary(diff.dangerous).sort()).toEqual([
      'Level.DISTRICT VALUE_ADDED_TO_ENUM',
      'Query.region(language:) ARG_DEFAULT_VALUE_CHANGE',
    ]);
    expect(diff.added).toEqual(['Level.DISTRICT']);
  });

  it('names additions at their top and deprecations with their reason', () => {
    const diff = compareApiSchemaSdl(
      RELEASED,
      planted('  population: Int\n', '  population: Int @deprecated(reason: "Use indicators.")\n').replace(
        'type LegacyReport {',
        'type Boundary {\n  geometry: String\n  area: Float\n}\n\ntype LegacyReport {',
      ),
    );
    expect(diff.added).toEqual(['Boundary']);
    expect(diff.deprecated).toEqual([{ coordinate: 'Region.population', reason: 'Use indicators.' }]);
    expect(diff.breaking).toEqual([]);
  });
});

describe('releasing the API schema', () => {
  const request = { releasedSdl: RELEASED, note: 'Region population goes', date: '2026-12-06' };

  it('refuses to remove an element that was not deprecated, naming it', () => {
    const outcome = planRelease({ ...request, currentSdl: planted('  population: Int\n', '') });
    expect(outcome.kind).toBe('refused');
    expect(outcome.kind === 'refused' && outcome.message).toContain('- Region.population [FIELD_REMOVED] Region.population was removed.');
  });

  it('releases the break with --breaking and writes the reason into the changelog entry', () => {
    const outcome = planRelease({
      ...request,
      currentSdl: planted('  population: Int\n', ''),
      breakingReason: 'The source stopped publishing it.',
    });
    expect(outcome).toEqual({
      kind: 'released',
      entry: [
        '### 2026-12-06: Region population goes',
        '',
        '**Breaking change released on purpose:** The source stopped publishing it.',
        '',
        'Removed:',
        '',
        '- `Region.population`',
        '',
        'Breaking:',
        '',
        '- `Region.population`: Region.population was removed.',
        '',
      ].join('\n'),
    });
  });

  it('releases the removal of a deprecated field without --breaking', () => {
    const outcome = planRelease({ ...request, currentSdl: planted('  oldName: String @deprecated(reason: "Use name.")\n', '') });
    expect(outcome).toEqual({
      kind: 'released',
      entry: [
        '### 2026-12-06: Region population goes',
        '',
        'Removed:',
        '',
        '- `Region.oldName`',
        '',
        'Removed or changed after deprecation:',
        '',
        '- `Region.oldName`: Region.oldName was removed.',
        '',
      ].join('\n'),
    });
  });

  it('lists a deprecation with its reason, and an added enum value also as dangerous', () => {
    const current = planted('  STATE\n', '  STATE\n  DISTRICT\n').replace(
      '  population: Int\n',
      '  population: Int @deprecated(reason: "Use indicators.")\n',
    );
    const outcome = planRelease({ ...request, currentSdl: current });
    expect(outcome.kind === 'released' && outcome.entry).toBe(
      [
        '### 2026-12-06: Region population goes',
        '',
        'Added:',
        '',
        '- `Level.DISTRICT`',
        '',
        'Deprecated:',
        '',
        '- `Region.population`: Use indicators.',
        '',
        'Dangerous:',
        '',
        '- `Level.DISTRICT`: DISTRICT was added to enum type Level.',
        '',
      ].join('\n'),
    );
  });

  it('has nothing to release when the schema is the released one, and wants a note', () => {
    expect(planRelease({ ...request, currentSdl: RELEASED })).toEqual({ kind: 'unchanged' });
    expect(planRelease({ ...request, note: ' ', currentSdl: RELEASED }).kind).toBe('refused');
  });
});
