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
    const funded = new Set(portfolio.fundings.filter((funding) => funding.programmeCode === 'ZUKUNFTSREGIONEN').map((funding) => funding.projectId));
    const counties = new Set(portfolio.regions.filter((region) => region.role === 'LEAD' && funded.has(region.projectId)).map((region) => region.countyCode));
    expect(funded.size).toBeGreaterThanOrEqual(30);
    expect(counties.size).toBeGreaterThanOrEqual(25);
    for (const funding of portfolio.fundings) {
      expect(typeof funding.amountCents).toBe('bigint');
      expect(funding.amountCents).toBeGreaterThan(0n);
      expect(Number(funding.coFinancingShare)).toBeGreaterThanOrEqual(0);
      expect(Number(funding.coFinancingShare)).toBeLessThanOrEqual(1);
    }
    expect(new Set(portfolio.fundings.map((funding) => funding.programmeCode)).size).toBe(7);
  });
});
