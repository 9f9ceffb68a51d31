import { checkCoherence, CoherenceError, type CoherenceData } from './coherence';
import { cooperationCopies, programmeSeeds } from './landscape';
import { regionCatalogue } from './region-catalogue';
import { generateSyntheticPortfolio, PROJECT_COUNT, SYNTHETIC_SOURCE } from './synthetic';

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
