import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCsvRecords } from '@regiograph/shared';
import { checkCoherence, CoherenceError, type CoherenceData } from './coherence';
import { cooperationCopies, PROGRAMME_PERIODS, programmePeriod, programmeSeeds } from './landscape';
import { DATA_DIR, regionCatalogue } from './region-catalogue';
import { generateSyntheticPortfolio, PROJECT_COUNT, STATUS_AS_OF, SYNTHETIC_SOURCE } from './synthetic';

const catalogue = regionCatalogue();
const portfolio = generateSyntheticPortfolio(catalogue);

describe('the synthetic portfolio', () => {
  it('is reproducible from its seed and differs for another seed', () => {
    const again = generateSyntheticPortfolio(catalogue);
    expect(again).toEqual(portfolio);
    expect(generateSyntheticPortfolio(catalogue, 'another-seed').projects[0]).not.toEqual(portfolio.projects[0]);
  });

  it('has about 150 projects over all four districts, 2014–2027, with unique ids', () => {
    expect(portfolio.projects).toHaveLength(PROJECT_COUNT);
    expect(new Set(portfolio.projects.map((project) => project.id)).size).toBe(PROJECT_COUNT);
    const perDistrict = new Map<string, number>();
    for (const project of portfolio.projects) perDistrict.set(project.districtCode, (perDistrict.get(project.districtCode) ?? 0) + 1);
    expect([...perDistrict.keys()].sort()).toEqual(['031', '032', '033', '034']);
    expect(Math.min(...perDistrict.values())).toBeGreaterThanOrEqual(25);
    for (const project of portfolio.projects) {
      expect(project.startDate.getUTCFullYear()).toBeGreaterThanOrEqual(2014);
      expect((project.endDate ?? project.startDate).getUTCFullYear()).toBeLessThanOrEqual(2027);
      if (project.endDate) expect(project.endDate.getTime()).toBeGreaterThanOrEqual(project.startDate.getTime());
    }
  });

  it('labels every project as synthetic', () => {
    for (const project of portfolio.projects) {
      expect(project.synthetic).toBe(true);
      expect(project.source).toBe(SYNTHETIC_SOURCE);
      expect(project.title).toMatch(/\(synthetic\)$/);
    }
    expect(portfolio.documents.every((document) => document.url.startsWith('https://example.org/'))).toBe(true);
  });

  it('uses only real region codes, one lead per project, in the project’s district', () => {
    for (const region of portfolio.regions) expect(catalogue.has(region.regionCode)).toBe(true);
    for (const project of portfolio.projects) {
      const leads = portfolio.regions.filter((region) => region.projectId === project.id && region.role === 'LEAD');
      expect(leads).toHaveLength(1);
      expect(leads[0]!.regionCode.slice(0, 3)).toBe(project.districtCode);
    }
  });

  it('spreads Zukunftsregionen funding over many counties, with exact cent amounts', () => {
    const funded = new Set(
      portfolio.fundings.filter((funding) => funding.programmeCode === 'ZUKUNFTSREGIONEN').map((funding) => funding.projectId),
    );
    const counties = new Set(
      portfolio.regions.filter((region) => region.role === 'LEAD' && funded.has(region.projectId)).map((region) => region.countyCode),
    );
    expect(funded.size).toBeGreaterThanOrEqual(30);
    expect(counties.size).toBeGreaterThanOrEqual(25);
    for (const funding of portfolio.fundings) {
      expect(typeof funding.amountCents).toBe('bigint');
      expect(funding.amountCents).toBeGreaterThan(0n);
      expect(Number(funding.coFinancingShare)).toBeGreaterThanOrEqual(0);
      expect(Number(funding.coFinancingShare)).toBeLessThanOrEqual(1);
    }
    const programmes = programmeSeeds().map((programme) => programme.code);
    expect(programmes).toHaveLength(8);
    for (const funding of portfolio.fundings) expect(programmes).toContain(funding.programmeCode);
    expect(new Set(portfolio.fundings.map((funding) => funding.programmeCode)).size).toBeGreaterThanOrEqual(6);
  });
});

/** The generated portfolio in the checker's terms (indicator existence is checked end to end, test/coherence.test.ts). */
function coherenceData(): CoherenceData {
  return {
    projects: portfolio.projects.map((project) => ({
      id: project.id,
      title: project.title,
      topics: project.topics,
      cooperationId: project.cooperationId,
      regions: portfolio.regions
        .filter((region) => region.projectId === project.id)
        .map((region) => ({ code: region.regionCode, name: catalogue.get(region.regionCode)!.name })),
      fundings: portfolio.fundings.filter((funding) => funding.projectId === project.id),
      indicatorCodes: [],
    })),
    cooperations: cooperationCopies().map((cooperation) => ({
      ...cooperation,
      budgetCents: cooperation.budgetCents === null ? null : BigInt(cooperation.budgetCents),
    })),
    programmeCodes: programmeSeeds().map((programme) => programme.code),
    indicatorCodes: [],
  };
}

describe('coherence of the portfolio with the cooperation landscape', () => {
  it('holds for every generated project, and many projects are carried by cooperations', () => {
    expect(() => checkCoherence(coherenceData())).not.toThrow();
    const carried = portfolio.projects.filter((project) => project.cooperationId !== null);
    expect(carried.length).toBeGreaterThanOrEqual(50);
    expect(carried.filter((project) => project.cooperationId!.startsWith('C-')).length).toBeGreaterThanOrEqual(10);
  });

  it('fails on a project placed outside its cooperation’s area, naming it', () => {
    const data = coherenceData();
    const victim = data.projects.find((project) => project.cooperationId === 'ZR06')!;
    victim.regions.push({ code: '03454', name: 'Emsland' });
    expect(() => checkCoherence(data)).toThrow(
      new CoherenceError(`project ${victim.id} ("${victim.title}")`, 'region 03454 (Emsland) lies outside the area of cooperation ZR06'),
    );
  });

  it('fails when a Zukunftsregion’s projects exceed its stated budget, or a topic does not fit', () => {
    const data = coherenceData();
    const victim = data.projects.find((project) => project.fundings.some((funding) => funding.programmeCode === 'ZUKUNFTSREGIONEN'))!;
    victim.fundings[0]!.amountCents += 1_000_000_000n;
    expect(() => checkCoherence(data)).toThrow(/exceeds its stated budget/);
    const other = coherenceData();
    const biodiversity = other.projects.find((project) => project.cooperationId === 'ZR01')!;
    biodiversity.topics.push('MEDICAL_CARE');
    expect(() => checkCoherence(other)).toThrow(new RegExp(`^project ${biodiversity.id} .*topic MEDICAL_CARE fits none`));
  });
});

/** A project with its region references and commitments, as the rules below look at it. */
function projectsWithLinks() {
  return portfolio.projects.map((project) => ({
    project,
    regions: portfolio.regions.filter((region) => region.projectId === project.id),
    fundings: portfolio.fundings.filter((funding) => funding.projectId === project.id),
  }));
}

/** A programme's notes and period as data/programmes.csv states them, so the rules follow the record. */
function programmeRecord(name: string): { period: string; notes: string } {
  const row = parseCsvRecords(readFileSync(path.join(DATA_DIR, 'programmes.csv'), 'utf8')).find(({ record }) => record.name === name);
  if (!row) throw new Error(`programmes.csv has no programme ${name}`);
  return { period: row.record.period ?? '', notes: row.record.notes ?? '' };
}

/** The region codes of place names as the programme records give them ("LK Goslar", "Stadt Göttingen"). */
function codesOfNames(names: string[], levels: string[]): string[] {
  return names.map((given) => {
    const bare = given.trim().replace(/^(LK|Landkreis|Stadt) /, '');
    const region = catalogue.regions.find((candidate) => candidate.name === bare && levels.includes(candidate.level));
    if (!region) throw new Error(`no region named ${bare}`);
    return region.code;
  });
}

const inside = (code: string, area: string[]) => area.some((member) => code.startsWith(member));

describe('coherence of the portfolio with real facts', () => {
  it('references every region only while its code is valid: from the project’s start day on', () => {
    const violations: string[] = [];
    // regions.csv states no last day of validity (the directory as of 01.01.2021), so the start day decides.
    for (const { project, regions } of projectsWithLinks())
      for (const region of regions) {
        const since = catalogue.keyExistsSince(region.regionCode);
        if (since && since > project.startDate)
          violations.push(`${project.id} ${region.role} ${region.regionCode} valid since ${since.toISOString().slice(0, 10)}`);
      }
    expect(violations).toEqual([]);
    // The audit's example: Landkreis Göttingen (03159) exists since the merger of 01.11.2016.
    const goettingen = portfolio.regions.filter((region) => region.regionCode.startsWith('03159'));
    expect(goettingen.length).toBeGreaterThan(0);
    for (const region of goettingen)
      expect(portfolio.projects.find((project) => project.id === region.projectId)!.startDate.getTime()).toBeGreaterThanOrEqual(
        Date.UTC(2016, 10, 1),
      );
  });

  it('links no uninhabited unincorporated area (gemeindefreies Gebiet) to any project', () => {
    const unincorporated = portfolio.regions.filter((region) => catalogue.get(region.regionCode)!.officialType === 'Gemeindefreies Gebiet');
    expect(unincorporated).toEqual([]);
  });

  it('starts a carried project on or after its carrier’s founding day and ends it before any dissolution', () => {
    const carriers = new Map<string, { status: string; founded?: string | null; dissolvedOn?: string | null }>(
      cooperationCopies().map((cooperation) => [cooperation.id, cooperation]),
    );
    const violations: string[] = [];
    for (const project of portfolio.projects.filter((candidate) => candidate.cooperationId !== null)) {
      const carrier = carriers.get(project.cooperationId!)!;
      // Without a stated day the copy gives no founding day: every seeded cooperation was founded by
      // the end of 2022 (the Zukunftsregionen were recognised in Sept/Oct 2022), so 2023 is safe.
      const founded = carrier.founded ? new Date(`${carrier.founded}T00:00:00Z`) : new Date(Date.UTC(2023, 0, 1));
      if (project.startDate < founded) violations.push(`${project.id} starts before ${project.cooperationId} was founded`);
      if (carrier.status !== 'ACTIVE' && !carrier.dissolvedOn)
        violations.push(`${project.id}: ${project.cooperationId} is ${carrier.status}`);
      if (carrier.dissolvedOn && (project.endDate === null || project.endDate > new Date(`${carrier.dissolvedOn}T00:00:00Z`)))
        violations.push(`${project.id} runs past the dissolution of ${project.cooperationId}`);
    }
    expect(violations).toEqual([]);
  });

  it('funds Zukunftsräume only where the inhabitants the programme requires are proven', () => {
    const threshold = /at least ([\d.]+) inhabitants/.exec(programmeRecord('Zukunftsräume Niedersachsen').notes)?.[1];
    expect(threshold).toBe('10.000');
    // This subgraph holds no municipal population (only the indicators subgraph does), so no place
    // can be proven to have 10,000 inhabitants: no commitment of the programme is coherent.
    expect(portfolio.fundings.filter((funding) => funding.programmeCode === 'ZUKUNFTSRAEUME')).toEqual([]);
  });

  it('keeps every region of a Südniedersachsenprogramm project in the programme’s area and period', () => {
    const { notes, period } = programmeRecord('Südniedersachsenprogramm');
    const names = /area: ([^;]+);/.exec(notes)![1]!.split(/,| and /);
    const area = codesOfNames(names, ['COUNTY', 'MUNICIPALITY']);
    expect(area).toEqual(expect.arrayContaining(['03153', '03159', '03255', '03155']));
    expect(period).toMatch(/started Feb 2015; designed until 2020/);
    const funded = projectsWithLinks().filter(({ fundings }) => fundings.some((funding) => funding.programmeCode === 'SUEDNIEDERSACHSEN'));
    expect(funded.length).toBeGreaterThanOrEqual(3);
    for (const { project, regions } of funded) {
      for (const region of regions) expect(`${project.id} ${region.regionCode} ${inside(region.regionCode, area)}`).toMatch(/ true$/);
      expect(project.startDate.getTime()).toBeGreaterThanOrEqual(Date.UTC(2015, 1, 1));
      expect(project.startDate.getUTCFullYear()).toBeLessThanOrEqual(2020);
    }
  });

  it('makes GRW commitments only in years in which every region of the project is eligible', () => {
    const { notes, period } = programmeRecord('GRW (Gemeinschaftsaufgabe Verbesserung der regionalen Wirtschaftsstruktur)');
    const fromYear = Number(/new area map from (\d{4})/.exec(period)![1]);
    const excluded = codesOfNames(/; ([^;]+) no longer eligible/.exec(notes)![1]!.split(','), ['COUNTY']);
    expect(excluded).toEqual(['03351', '03254', '03355']);
    const violations: string[] = [];
    for (const { project, regions, fundings } of projectsWithLinks())
      for (const funding of fundings.filter((candidate) => candidate.programmeCode === 'GRW' && candidate.commitmentYear >= fromYear))
        for (const region of regions.filter((candidate) => inside(candidate.regionCode, excluded)))
          violations.push(`${project.id} ${funding.commitmentYear} ${region.regionCode}`);
    expect(violations).toEqual([]);
    // The rule must have commitments to hold for, or it proves nothing.
    expect(portfolio.fundings.filter((funding) => funding.programmeCode === 'GRW').length).toBeGreaterThan(0);
  });

  it('reads every programme’s period from its record: each stated year appears in the record’s period', () => {
    const records = parseCsvRecords(readFileSync(path.join(DATA_DIR, 'programmes.csv'), 'utf8'));
    for (const programme of programmeSeeds()) {
      const period = programmePeriod(programme.code);
      const stated = records.find(({ record }) => record.name === programme.name)!.record.period ?? '';
      for (const year of [period.firstYear, period.lastYear].filter((bound) => bound !== null))
        expect(`${programme.code}: ${stated}`).toContain(String(year));
    }
    expect(Object.keys(PROGRAMME_PERIODS).sort()).toEqual(
      programmeSeeds()
        .map((programme) => programme.code)
        .sort(),
    );
  });

  it('commits money (the approval year) only within its programme’s period and the project’s own years, for every commitment', () => {
    const violations: string[] = [];
    for (const { project, fundings } of projectsWithLinks())
      for (const funding of fundings) {
        const { firstYear, lastYear } = programmePeriod(funding.programmeCode);
        const projectLast = project.endDate?.getUTCFullYear() ?? Infinity;
        if (funding.commitmentYear < project.startDate.getUTCFullYear() || funding.commitmentYear > projectLast)
          violations.push(`${project.id} ${funding.programmeCode} ${funding.commitmentYear} outside the project's years`);
        if ((firstYear !== null && funding.commitmentYear < firstYear) || (lastYear !== null && funding.commitmentYear > lastYear))
          violations.push(
            `${project.id} ${funding.programmeCode} ${funding.commitmentYear} outside ${firstYear ?? '…'}–${lastYear ?? '…'}`,
          );
      }
    expect(violations).toEqual([]);
    // The audit's case: Südniedersachsenprogramm money only until 2020, and some of it to check.
    const southern = portfolio.fundings.filter((funding) => funding.programmeCode === 'SUEDNIEDERSACHSEN');
    expect(southern.length).toBeGreaterThan(0);
    expect(Math.max(...southern.map((funding) => funding.commitmentYear))).toBeLessThanOrEqual(2020);
  });

  it('derives statuses from the documented as-of day (2025-06-30), never from the clock', () => {
    expect(STATUS_AS_OF.toISOString()).toBe('2025-06-30T00:00:00.000Z');
    for (const project of portfolio.projects) {
      const started = project.startDate <= STATUS_AS_OF;
      const ended = project.endDate !== null && project.endDate < STATUS_AS_OF;
      if (project.status === 'PLANNED') expect(`${project.id} ${started}`).toBe(`${project.id} false`);
      if (project.status === 'RUNNING') expect(`${project.id} ${started && !ended}`).toBe(`${project.id} true`);
      if (project.status === 'COMPLETED') expect(`${project.id} ${ended}`).toBe(`${project.id} true`);
    }
  });
});
