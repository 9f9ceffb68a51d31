import { regionCatalogue } from './region-catalogue';
import { validateFunding, validateProject, validateSource, type ProjectDraft } from './validation';

const catalogue = regionCatalogue();

const valid: ProjectDraft = {
  title: 'A project',
  summary: 'What it does.',
  topics: ['MOBILITY'],
  startDate: new Date('2024-01-01T00:00:00Z'),
  endDate: new Date('2025-12-31T00:00:00Z'),
  regions: [
    { regionCode: '03459', role: 'LEAD' },
    { regionCode: '03404', role: 'PARTNER' },
  ],
  cooperationId: 'C-001',
  findings: [{ text: 'A finding.', topic: 'MOBILITY' }],
  documents: [{ title: 'Report', url: 'https://example.org/report.pdf' }],
  indicatorCodes: ['population'],
};

function fieldsOf(draft: Partial<ProjectDraft>): [string, string][] {
  return validateProject({ ...valid, ...draft }, catalogue).map((error) => [error.field, error.code]);
}

describe('project validation', () => {
  it('accepts a consistent project', () => {
    expect(validateProject(valid, catalogue)).toEqual([]);
  });

  it.each<[string, Partial<ProjectDraft>, [string, string]]>([
    ['an end before the start', { endDate: new Date('2023-12-31T00:00:00Z') }, ['input.endDate', 'OUT_OF_RANGE']],
    // An impossible day (2024-02-30) no longer reaches validation: the Date scalar refuses it (shared/src/dates.test.ts).
    ['a start before 1990', { startDate: new Date('1989-12-31T00:00:00Z') }, ['input.startDate', 'OUT_OF_RANGE']],
    ['an empty title', { title: '  ' }, ['input.title', 'REQUIRED']],
    ['no topic', { topics: [] }, ['input.topics', 'REQUIRED']],
    ['an unknown region code', { regions: [{ regionCode: '03999', role: 'LEAD' }] }, ['input.regions[0].regionCode', 'UNKNOWN_REGION']],
    ['the state as a region', { regions: [{ regionCode: '03', role: 'LEAD' }] }, ['input.regions[0].regionCode', 'INVALID']],
    ['no lead region', { regions: [{ regionCode: '03459', role: 'PARTNER' }] }, ['input.regions', 'INVALID']],
    ['a document that is no web link', { documents: [{ title: 'x', url: 'javascript:alert(1)' }] }, ['input.documents[0].url', 'INVALID']],
    [
      'a document URL with a space inside',
      { documents: [{ title: 'x', url: 'https://example.org/a b' }] },
      ['input.documents[0].url', 'INVALID'],
    ],
    [
      'a document URL over 2000 characters',
      { documents: [{ title: 'x', url: `https://e.org/${'a'.repeat(1990)}` }] },
      ['input.documents[0].url', 'OUT_OF_RANGE'],
    ],
    ['an empty document URL', { documents: [{ title: 'x', url: ' ' }] }, ['input.documents[0].url', 'REQUIRED']],
    ['an invisible title', { title: '\u2060\u200b\u200d' }, ['input.title', 'REQUIRED']],
    ['a malformed indicator code', { indicatorCodes: ['Population Total'] }, ['input.indicatorCodes[0]', 'INVALID']],
    ['an indicator code named twice', { indicatorCodes: ['population', 'area_km2', 'population'] }, ['input.indicatorCodes[2]', 'INVALID']],
  ])('refuses %s', (_label, draft, expected) => {
    expect(fieldsOf(draft)).toContainEqual(expected);
  });

  it('refuses a region whose key did not exist yet on the start day, at its code, as cooperations refuse such a member', () => {
    const withGoettingen = {
      regions: [
        { regionCode: '03459', role: 'LEAD' as const },
        { regionCode: '03159', role: 'PARTNER' as const },
      ],
    };
    expect(validateProject({ ...valid, ...withGoettingen, startDate: new Date('2010-01-01T00:00:00Z') }, catalogue)).toEqual([
      {
        field: 'input.regions[1].regionCode',
        code: 'OUT_OF_RANGE',
        message: "the project's start (2010-01-01) must not be before 03159 existed (its key since 2016-11-01).",
      },
    ]);
    expect(validateProject({ ...valid, ...withGoettingen, startDate: new Date('2016-11-01T00:00:00Z') }, catalogue)).toEqual([]);
    // An update that moves the start and keeps the stored regions: the start day is what is wrong.
    expect(
      validateProject({ ...valid, regions: null, startDate: new Date('2016-10-31T00:00:00Z') }, catalogue, 'input', ['03459', '03159']),
    ).toEqual([
      { field: 'input.startDate', code: 'OUT_OF_RANGE', message: 'must not be before 03159 existed (its key since 2016-11-01).' },
    ]);
  });

  it('takes at most 50 findings, documents and indicator codes, naming the list and the count', () => {
    const times = <T>(count: number, item: (index: number) => T) => Array.from({ length: count }, (_, index) => item(index));
    const atLimit = {
      findings: times(50, (index) => ({ text: `Finding ${index}.`, topic: 'MOBILITY' as const })),
      documents: times(50, (index) => ({ title: `Report ${index}`, url: `https://example.org/${index}.pdf` })),
      indicatorCodes: times(50, (index) => `indicator_${index}`),
    };
    expect(validateProject({ ...valid, ...atLimit }, catalogue)).toEqual([]);
    const errors = validateProject(
      {
        ...valid,
        findings: [...atLimit.findings, { text: 'One more.', topic: 'MOBILITY' }],
        documents: [...atLimit.documents, { title: 'One more', url: 'https://example.org/more.pdf' }],
        // Malformed as well: only the count is reported, not 4,000 codes one by one.
        indicatorCodes: times(4000, (index) => `Indicator ${index}`),
      },
      catalogue,
    );
    expect(errors.map(({ field, code, message }) => [field, code, message])).toEqual([
      ['input.findings', 'OUT_OF_RANGE', 'must name at most 50 (found 51)'],
      ['input.documents', 'OUT_OF_RANGE', 'must name at most 50 (found 51)'],
      ['input.indicatorCodes', 'OUT_OF_RANGE', 'must name at most 50 (found 4000)'],
    ]);
  });
});

describe('source validation', () => {
  it('takes no source (the editor’s account stands in) or one of 1–2000 characters', () => {
    expect(validateSource(undefined)).toEqual([]);
    expect(validateSource(null)).toEqual([]);
    expect(validateSource('s'.repeat(2000))).toEqual([]);
    expect(validateSource('s'.repeat(2001))).toEqual([
      { field: 'input.source', code: 'OUT_OF_RANGE', message: 'must be at most 2000 characters.' },
    ]);
    expect(validateSource(' \u200b ')).toEqual([{ field: 'input.source', code: 'REQUIRED', message: 'must not be empty.' }]);
  });
});

describe('funding validation', () => {
  const funding = { programmeCode: 'GRW', amountCents: 100_000n, coFinancingShare: 0.6, commitmentYear: 2024 };

  it('accepts a valid commitment, including a share of exactly 0 or 1', () => {
    expect(validateFunding(funding, true)).toEqual([]);
    expect(validateFunding({ ...funding, coFinancingShare: 1 }, true)).toEqual([]);
    expect(validateFunding({ ...funding, coFinancingShare: 0 }, true)).toEqual([]);
  });

  it('refuses negative amounts, shares outside 0–1 or too precise, bad years and unknown programmes', () => {
    const codes = (draft: Partial<typeof funding>, known = true) =>
      validateFunding({ ...funding, ...draft }, known).map((error) => [error.field, error.code]);
    expect(codes({ amountCents: -1n })).toEqual([['input.amountCents', 'OUT_OF_RANGE']]);
    expect(codes({ coFinancingShare: 1.01 })).toEqual([['input.coFinancingShare', 'OUT_OF_RANGE']]);
    expect(codes({ coFinancingShare: -0.1 })).toEqual([['input.coFinancingShare', 'OUT_OF_RANGE']]);
    expect(codes({ coFinancingShare: 0.12345 })).toEqual([['input.coFinancingShare', 'INVALID']]);
    expect(codes({ commitmentYear: 1800 })).toEqual([['input.commitmentYear', 'OUT_OF_RANGE']]);
    expect(codes({}, false)).toEqual([['input.programmeCode', 'UNKNOWN_PROGRAMME']]);
  });
});
