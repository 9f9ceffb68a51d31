// The coherence rules of the seeded data set (issue 11), checked end to end through the gateway:
// projects, cooperations, programmes and indicators each come from their own subgraph.
import { checkCoherence, CoherenceError, type CoherenceData } from '@regiograph/projects';
import { startStack, type Stack } from './harness';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.stop();
});

interface Data {
  indicators: { code: string }[];
  fundingProgrammes: { code: string; period: string | null; budgetAsStated: string | null; source: string | null }[];
  cooperations: {
    totalCount: number;
    nodes: {
      id: string;
      kind: string;
      status: string;
      synthetic: boolean;
      source: string;
      version: number;
      members: { regionCode: string }[];
      fieldsOfAction: string[];
      budgetEuros: number | null;
    }[];
  };
  projects: {
    totalCount: number;
    nodes: {
      id: string;
      title: string;
      synthetic: boolean;
      version: number;
      topics: string[];
      cooperation: { id: string } | null;
      regions: { region: { code: string; name: string } }[];
      funding: { programme: { code: string }; amountCents: number }[];
      indicators: { code: string }[];
    }[];
  };
}

const QUERY = `{
  indicators { code }
  fundingProgrammes { code period budgetAsStated source }
  cooperations(first: 200) { totalCount nodes { id kind status synthetic source version members { regionCode } fieldsOfAction budgetEuros } }
  projects(first: 200) { totalCount nodes {
    id title synthetic version topics cooperation { id } regions { region { code name } } funding { programme { code } amountCents } indicators { code }
  } }
}`;

/**
 * The seeded records only. Other e2e files run against the same database and create or edit
 * records (mutations): a created project is not synthetic, an edited record has version > 1. The
 * rules are about the seeded data set, so those are left out — which can only shrink the checked
 * set, never make a broken seed pass (a deleted record is not a violation either way).
 */
async function seededData(): Promise<{ data: CoherenceData; raw: Data }> {
  const { data, errors } = await stack.query<Data>(QUERY);
  expect(errors).toBeUndefined();
  const raw = data!;
  const seededCooperation = (cooperation: Data['cooperations']['nodes'][number]) =>
    cooperation.version === 1 && (cooperation.synthetic || cooperation.source.startsWith('http'));
  return {
    raw,
    data: {
      projects: raw.projects.nodes
        .filter((project) => project.synthetic && project.version === 1)
        .map((project) => ({
          id: project.id,
          title: project.title,
          topics: project.topics,
          cooperationId: project.cooperation?.id ?? null,
          regions: project.regions.map(({ region }) => region),
          fundings: project.funding.map((funding) => ({ programmeCode: funding.programme.code, amountCents: BigInt(funding.amountCents) })),
          indicatorCodes: project.indicators.map((indicator) => indicator.code),
        })),
      cooperations: raw.cooperations.nodes.filter(seededCooperation).map((cooperation) => ({
        id: cooperation.id,
        kind: cooperation.kind,
        status: cooperation.status,
        members: cooperation.members.map((member) => member.regionCode),
        fieldsOfAction: cooperation.fieldsOfAction,
        budgetCents: cooperation.budgetEuros === null ? null : BigInt(Math.round(cooperation.budgetEuros * 100)),
      })),
      programmeCodes: raw.fundingProgrammes.map((programme) => programme.code),
      indicatorCodes: raw.indicators.map((indicator) => indicator.code),
    },
  };
}

describe('coherence of the seeded data set (through the gateway)', () => {
  it('holds for every seeded project: area, title, topics, Zukunftsregionen budgets, real programmes, existing indicators', async () => {
    const { data, raw } = await seededData();
    // The whole seeded set is there: 150 projects, 29 real and 42 synthetic cooperations, 8 programmes.
    expect(data.projects.length).toBeGreaterThanOrEqual(140);
    expect(raw.projects.totalCount).toBeLessThanOrEqual(200);
    expect(raw.cooperations.totalCount).toBeLessThanOrEqual(200);
    expect(data.cooperations.filter((cooperation) => cooperation.kind === 'ZUKUNFTSREGION')).toHaveLength(14);
    expect(raw.fundingProgrammes).toHaveLength(8);
    for (const programme of raw.fundingProgrammes) expect(programme.source).toMatch(/^https?:\/\//);
    expect(data.projects.filter((project) => project.cooperationId !== null).length).toBeGreaterThanOrEqual(50);
    expect(data.projects.some((project) => project.indicatorCodes.length > 0)).toBe(true);
    expect(() => checkCoherence(data)).not.toThrow();
  });

  it('fails on a deliberately broken record, naming it', async () => {
    const { data } = await seededData();
    // Elbtalaue-Heide-Wendland (ZR01) and Süderelbe (ZR10) include Landkreis Lüneburg: any other Zukunftsregion does not.
    const carried = data.projects.find(
      (project) => project.cooperationId?.startsWith('ZR') && !['ZR01', 'ZR10'].includes(project.cooperationId),
    )!;
    // A study in Barendorf (Landkreis Lüneburg) carried by a Zukunftsregion elsewhere: the example.
    const broken = {
      ...data,
      projects: data.projects.map((project) =>
        project === carried ? { ...project, regions: [...project.regions, { code: '033555406005', name: 'Barendorf' }] } : project,
      ),
    };
    const rule = `region 033555406005 (Barendorf) lies outside the area of cooperation ${carried.cooperationId}`;
    expect(() => checkCoherence(broken)).toThrow(new CoherenceError(`project ${carried.id} ("${carried.title}")`, rule));

    const unknownIndicator = {
      ...data,
      projects: data.projects.map((project, index) => (index === 0 ? { ...project, indicatorCodes: ['mean_age_years'] } : project)),
    };
    expect(() => checkCoherence(unknownIndicator)).toThrow(/linked indicator mean_age_years does not exist/);

    const foreignProgramme = {
      ...data,
      projects: data.projects.map((project, index) =>
        index === 1 ? { ...project, fundings: [{ programmeCode: 'EFRE', amountCents: 100n }] } : project,
      ),
    };
    expect(() => checkCoherence(foreignProgramme)).toThrow(/programme EFRE is not a real programme/);
  });
});

interface CarriedData {
  projects: {
    nodes: {
      id: string;
      synthetic: boolean;
      version: number;
      startDate: string;
      endDate: string | null;
      cooperation: { id: string; founded: string | null; dissolvedOn: string | null } | null;
    }[];
  };
}

describe('carried projects and their carriers’ lives (through the gateway)', () => {
  it('starts every seeded carried project on or after its carrier’s founding day, and ends it by any dissolution', async () => {
    // The projects subgraph's copy of the cooperations states no founding days: this reads them from
    // the cooperations subgraph, which owns them.
    const { data, errors } = await stack.query<CarriedData>(
      `{ projects(first: 200) { nodes { id synthetic version startDate endDate cooperation { id founded dissolvedOn } } } }`,
    );
    expect(errors).toBeUndefined();
    const carried = data!.projects.nodes.filter((project) => project.synthetic && project.version === 1 && project.cooperation);
    const dated = carried.filter((project) => project.cooperation!.founded !== null);
    // Most carriers have a founding day; the Zukunftsregionen whose sources give none are left out here.
    expect(dated.length).toBeGreaterThanOrEqual(20);
    const violations = carried.flatMap(({ id, startDate, endDate, cooperation }) => [
      ...(cooperation!.founded !== null && startDate < cooperation!.founded ? [`${id} starts before ${cooperation!.id} was founded`] : []),
      ...(cooperation!.dissolvedOn !== null && (endDate === null || endDate > cooperation!.dissolvedOn)
        ? [`${id} runs past the dissolution of ${cooperation!.id}`]
        : []),
    ]);
    expect(violations).toEqual([]);
  });
});
