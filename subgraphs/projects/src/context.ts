import type { IncomingMessage } from 'node:http';
import DataLoader from 'dataloader';
import {
  Prisma,
  type Finding,
  type Funding,
  type FundingProgramme,
  type PrismaClient,
  type Project,
  type ProjectDocument,
  type ProjectIndicator,
  type ProjectRegion,
} from '@regiograph/db';
import { type Caller, groupBy, lazyCaller, manyByKey, oneByKey, SCOPES, type TokenVerifier } from '@regiograph/shared';
import { readAfterLsnOf, type EntityReferences } from '@regiograph/subgraph-kit';
import { conditionsKey, leadRegionSql, projectWhere, regionMatch, regionMatches, type ProjectConditions } from './filters';
import { regionCatalogue, type RegionCatalogue } from './region-catalogue';

export type ProjectRow = Project;
export type ProjectRegionRow = ProjectRegion;
export type FindingRow = Finding;
export type DocumentRow = ProjectDocument;
export type FundingRow = Funding;
export type ProgrammeRow = FundingProgramme;

/** The scope a token needs to change projects and their funding. */
export const WRITE_SCOPE = SCOPES.projectsWrite;

/** Conditions Region.projects accepts (the region itself comes from the entity). */
export type RegionProjectConditions = Pick<ProjectConditions, 'status' | 'kind' | 'topic' | 'activeFrom' | 'activeTo'> & {
  includeDescendants: boolean;
};

export interface RegionProjectsKey {
  code: string;
  conditions: RegionProjectConditions;
}

export interface FundingTotalsConditions {
  programme: string | null;
  fromYear: number | null;
  toYear: number | null;
  includeDescendants: boolean;
}

export interface FundingTotalsKey {
  code: string;
  conditions: FundingTotalsConditions;
}

/** Funding committed by one programme in one year, summed exactly (bigint cents). */
export interface FundingTotal {
  programmeCode: string;
  year: number;
  amountCents: bigint;
  /** The part of amountCents committed to synthetic demonstration projects. */
  syntheticAmountCents: bigint;
  projectCount: number;
  fundingCount: number;
}

export interface ProjectLoaders {
  projectById: DataLoader<string, ProjectRow | null>;
  regionsByProjectId: DataLoader<string, ProjectRegionRow[]>;
  findingsByProjectId: DataLoader<string, FindingRow[]>;
  documentsByProjectId: DataLoader<string, DocumentRow[]>;
  indicatorCodesByProjectId: DataLoader<string, string[]>;
  fundingsByProjectId: DataLoader<string, FundingRow[]>;
  programmeByCode: DataLoader<string, ProgrammeRow | null>;
  projectsByIndicatorCode: DataLoader<string, ProjectRow[]>;
  projectsByCooperationId: DataLoader<string, ProjectRow[]>;
  regionProjects: DataLoader<RegionProjectsKey, ProjectRow[], string>;
  regionFundingTotals: DataLoader<FundingTotalsKey, FundingTotal[], string>;
  /**
   * Regions taking part (any role) in any project on all of the project's topics (its topics are among the other's), the project's
   * own included: the regions that already have a project on those topics.
   */
  topicRegionCodesByProjectId: DataLoader<string, string[]>;
  leadRegionFunding: DataLoader<LeadRegionFundingKey, LeadRegionFundingResult, string>;
}

export interface LeadRegionFundingKey {
  programmeCode: string | null;
  fromYear: number | null;
  toYear: number | null;
}

/** Funding summed per lead region (exact cents), and whether any of it belongs to a synthetic project. */
export interface LeadRegionFundingResult {
  rows: { regionCode: string; amountCents: bigint }[];
  synthetic: boolean;
}

/** The entities of other subgraphs a project links to, each checked with its owner. */
export interface ProjectReferences {
  cooperations: EntityReferences;
  indicators: EntityReferences;
}

export interface ProjectsContext {
  prisma: PrismaClient;
  loaders: ProjectLoaders;
  catalogue: RegionCatalogue;
  /** The caller, verified on first use (shared's lazyCaller); null when the request carries no token. */
  caller: () => Caller | null;
  /** Asks the owning subgraphs which of a write's links exist: cooperation ids, indicator codes. */
  references: ProjectReferences;
  /** The client's last write position (x-read-after-lsn), passed on to those checks. */
  readAfterLsn: string | null;
}

/** Runs one query per distinct set of conditions among the keys of a batch. */
async function batchByConditions<K extends { code: string; conditions: object }, V>(
  keys: readonly K[],
  load: (codes: string[], conditions: K['conditions']) => Promise<Map<string, V>>,
  empty: () => V,
): Promise<V[]> {
  const byConditions = groupBy([...keys], (key) => conditionsKey(key.conditions));
  const answers = new Map<string, V>();
  for (const [conditionKey, group] of byConditions) {
    const result = await load([...new Set(group.map((key) => key.code))], group[0]!.conditions);
    for (const [code, value] of result) answers.set(`${conditionKey}|${code}`, value);
  }
  return keys.map((key) => answers.get(`${conditionsKey(key.conditions)}|${key.code}`) ?? empty());
}

const PROJECT_ORDER: Prisma.ProjectOrderByWithRelationInput[] = [{ startDate: 'desc' }, { id: 'asc' }];

// The order in which a project's fields list its rows: the loaders' and a deleted project's (readProjectRows).
const REGION_ORDER: Prisma.ProjectRegionOrderByWithRelationInput[] = [{ role: 'asc' }, { regionCode: 'asc' }];
const FINDING_ORDER: Prisma.FindingOrderByWithRelationInput[] = [{ projectId: 'asc' }, { position: 'asc' }];
const DOCUMENT_ORDER: Prisma.ProjectDocumentOrderByWithRelationInput[] = [{ projectId: 'asc' }, { position: 'asc' }];
const INDICATOR_ORDER: Prisma.ProjectIndicatorOrderByWithRelationInput = { indicatorCode: 'asc' };
const FUNDING_ORDER: Prisma.FundingOrderByWithRelationInput[] = [{ commitmentYear: 'asc' }, { id: 'asc' }];

/** A project with every row its fields read: what the payload of its deletion shows. */
export interface ProjectRows {
  project: ProjectRow;
  regions: ProjectRegionRow[];
  findings: FindingRow[];
  documents: DocumentRow[];
  indicatorCodes: string[];
  fundings: FundingRow[];
}

/** A project's rows as its fields list them; inside a delete's transaction, before the delete. */
export async function readProjectRows(db: Prisma.TransactionClient, project: ProjectRow): Promise<ProjectRows> {
  const projectId = project.id;
  const regions = await db.projectRegion.findMany({ where: { projectId }, orderBy: REGION_ORDER });
  const findings = await db.finding.findMany({ where: { projectId }, orderBy: FINDING_ORDER });
  const documents = await db.projectDocument.findMany({ where: { projectId }, orderBy: DOCUMENT_ORDER });
  const indicators = await db.projectIndicator.findMany({ where: { projectId }, orderBy: INDICATOR_ORDER });
  const fundings = await db.funding.findMany({ where: { projectId }, orderBy: FUNDING_ORDER });
  return { project, regions, findings, documents, indicatorCodes: indicators.map((row) => row.indicatorCode), fundings };
}

/**
 * Makes the request's loaders answer with `rows` for their project, so the fields of a payload show
 * the project as it was rather than the rows now stored (none, after a delete). Its row too: a
 * funding's `project` and `synthetic` read it by id.
 */
export function primeProjectRows(loaders: ProjectLoaders, rows: ProjectRows): ProjectRow {
  const id = rows.project.id;
  loaders.projectById.clear(id).prime(id, rows.project);
  loaders.regionsByProjectId.clear(id).prime(id, rows.regions);
  loaders.findingsByProjectId.clear(id).prime(id, rows.findings);
  loaders.documentsByProjectId.clear(id).prime(id, rows.documents);
  loaders.indicatorCodesByProjectId.clear(id).prime(id, rows.indicatorCodes);
  loaders.fundingsByProjectId.clear(id).prime(id, rows.fundings);
  return rows.project;
}

interface FundingTotalSqlRow {
  region_code: string;
  programme_code: string;
  commitment_year: number;
  amount_cents: string;
  synthetic_amount_cents: string;
  project_count: number;
  funding_count: number;
}

export function createLoaders(prisma: PrismaClient): ProjectLoaders {
  const loaders: ProjectLoaders = {
    projectById: new DataLoader(
      oneByKey(
        (ids) => prisma.project.findMany({ where: { id: { in: ids } } }),
        (row) => row.id,
      ),
    ),
    regionsByProjectId: new DataLoader(
      manyByKey(
        (ids) => prisma.projectRegion.findMany({ where: { projectId: { in: ids } }, orderBy: REGION_ORDER }),
        (row) => row.projectId,
      ),
    ),
    findingsByProjectId: new DataLoader(
      manyByKey(
        (ids) => prisma.finding.findMany({ where: { projectId: { in: ids } }, orderBy: FINDING_ORDER }),
        (row) => row.projectId,
      ),
    ),
    documentsByProjectId: new DataLoader(
      manyByKey(
        (ids) => prisma.projectDocument.findMany({ where: { projectId: { in: ids } }, orderBy: DOCUMENT_ORDER }),
        (row) => row.projectId,
      ),
    ),
    indicatorCodesByProjectId: new DataLoader(async (ids) => {
      const rows: ProjectIndicator[] = await prisma.projectIndicator.findMany({
        where: { projectId: { in: [...ids] } },
        orderBy: INDICATOR_ORDER,
      });
      const byProject = groupBy(rows, (row) => row.projectId);
      return ids.map((id) => (byProject.get(id) ?? []).map((row) => row.indicatorCode));
    }),
    fundingsByProjectId: new DataLoader(
      manyByKey(
        (ids) => prisma.funding.findMany({ where: { projectId: { in: ids } }, orderBy: FUNDING_ORDER }),
        (row) => row.projectId,
      ),
    ),
    programmeByCode: new DataLoader(
      oneByKey(
        (codes) => prisma.fundingProgramme.findMany({ where: { code: { in: codes } } }),
        (row) => row.code,
      ),
    ),
    projectsByIndicatorCode: new DataLoader(async (codes) => {
      const rows = await prisma.projectIndicator.findMany({
        where: { indicatorCode: { in: [...codes] } },
        include: { project: true },
        orderBy: [{ project: { startDate: 'desc' } }, { projectId: 'asc' }],
      });
      const byIndicator = groupBy(rows, (row) => row.indicatorCode);
      return codes.map((code) => (byIndicator.get(code) ?? []).map((row) => row.project));
    }),
    projectsByCooperationId: new DataLoader(
      manyByKey(
        (ids) => prisma.project.findMany({ where: { cooperationId: { in: ids } }, orderBy: PROJECT_ORDER }),
        (row) => row.cooperationId,
      ),
    ),
    regionProjects: new DataLoader(
      (keys) =>
        batchByConditions(
          keys,
          async (codes, conditions) => {
            const rows = await prisma.project.findMany({
              where: {
                AND: [
                  projectWhere(conditions),
                  { regions: { some: { OR: codes.map((code) => regionMatch(code, conditions.includeDescendants)) } } },
                ],
              },
              include: { regions: { orderBy: REGION_ORDER } },
              orderBy: PROJECT_ORDER,
            });
            const result = new Map<string, ProjectRow[]>();
            for (const { regions, ...project } of rows) {
              loaders.regionsByProjectId.prime(project.id, regions);
              for (const code of codes) {
                if (!regions.some((region) => regionMatches(region.regionCode, code, conditions.includeDescendants))) continue;
                const list = result.get(code);
                if (list) list.push(project);
                else result.set(code, [project]);
              }
            }
            return result;
          },
          () => [],
        ),
      { cacheKeyFn: (key) => `${conditionsKey(key.conditions)}|${key.code}` },
    ),
    regionFundingTotals: new DataLoader(
      (keys) =>
        batchByConditions(
          keys,
          async (codes, conditions) => {
            // Summed per lead region in SQL (exact numeric), rolled up to the asking regions in bigint.
            const rows = await prisma.$queryRaw<FundingTotalSqlRow[]>`
              SELECT lead.region_code, f.programme_code, f.commitment_year,
                     SUM(f.amount_cents)::text AS amount_cents,
                     COALESCE(SUM(f.amount_cents) FILTER (WHERE p.synthetic), 0)::text AS synthetic_amount_cents,
                     COUNT(DISTINCT f.project_id)::int AS project_count,
                     COUNT(*)::int AS funding_count
              FROM projects.funding f
              JOIN projects.project p ON p.id = f.project_id
              JOIN projects.project_region lead ON lead.project_id = f.project_id AND lead.role = 'LEAD'
              WHERE (${Prisma.join(
                codes.map((code) => leadRegionSql(code, conditions.includeDescendants)),
                ' OR ',
              )})
                ${conditions.programme != null ? Prisma.sql`AND f.programme_code = ${conditions.programme}` : Prisma.empty}
                ${conditions.fromYear != null ? Prisma.sql`AND f.commitment_year >= ${conditions.fromYear}` : Prisma.empty}
                ${conditions.toYear != null ? Prisma.sql`AND f.commitment_year <= ${conditions.toYear}` : Prisma.empty}
              GROUP BY lead.region_code, f.programme_code, f.commitment_year`;
            const result = new Map<string, Map<string, FundingTotal>>();
            for (const row of rows) {
              for (const code of codes) {
                if (!regionMatches(row.region_code, code, conditions.includeDescendants)) continue;
                const totals = result.get(code) ?? new Map<string, FundingTotal>();
                result.set(code, totals);
                const key = `${row.programme_code}|${row.commitment_year}`;
                const total = totals.get(key) ?? {
                  programmeCode: row.programme_code,
                  year: row.commitment_year,
                  amountCents: 0n,
                  syntheticAmountCents: 0n,
                  projectCount: 0,
                  fundingCount: 0,
                };
                // Each project has one lead region, so counts of different lead regions never overlap.
                total.amountCents += BigInt(row.amount_cents);
                total.syntheticAmountCents += BigInt(row.synthetic_amount_cents);
                total.projectCount += row.project_count;
                total.fundingCount += row.funding_count;
                totals.set(key, total);
              }
            }
            return new Map(
              [...result].map(([code, totals]) => [
                code,
                [...totals.values()].sort((a, b) => a.programmeCode.localeCompare(b.programmeCode) || a.year - b.year),
              ]),
            );
          },
          () => [],
        ),
      { cacheKeyFn: (key) => `${conditionsKey(key.conditions)}|${key.code}` },
    ),
    topicRegionCodesByProjectId: new DataLoader(async (ids) => {
      const rows = await prisma.$queryRaw<{ project_id: string; region_codes: string[] }[]>`
        SELECT p.id AS project_id, array_agg(DISTINCT pr.region_code ORDER BY pr.region_code) AS region_codes
        FROM projects.project p
        JOIN projects.project other ON other.topics @> p.topics
        JOIN projects.project_region pr ON pr.project_id = other.id
        WHERE p.id = ANY(${[...ids]}::text[])
        GROUP BY p.id`;
      const byProject = new Map(rows.map((row) => [row.project_id, row.region_codes]));
      return ids.map((id) => byProject.get(id) ?? []);
    }),
    leadRegionFunding: new DataLoader(
      (keys) =>
        Promise.all(
          keys.map(async (key) => {
            // Summed per lead region in SQL (exact numeric); one statement per distinct set of conditions.
            const rows = await prisma.$queryRaw<{ region_code: string; amount_cents: string; synthetic: boolean }[]>`
              SELECT lead.region_code, SUM(f.amount_cents)::text AS amount_cents, bool_or(p.synthetic) AS synthetic
              FROM projects.funding f
              JOIN projects.project p ON p.id = f.project_id
              JOIN projects.project_region lead ON lead.project_id = f.project_id AND lead.role = 'LEAD'
              WHERE (${key.programmeCode}::text IS NULL OR f.programme_code = ${key.programmeCode})
                AND (${key.fromYear}::int IS NULL OR f.commitment_year >= ${key.fromYear})
                AND (${key.toYear}::int IS NULL OR f.commitment_year <= ${key.toYear})
              GROUP BY lead.region_code
              ORDER BY lead.region_code`;
            return {
              rows: rows.map((row) => ({ regionCode: row.region_code, amountCents: BigInt(row.amount_cents) })),
              synthetic: rows.some((row) => row.synthetic),
            };
          }),
        ),
      { cacheKeyFn: (key) => `${key.programmeCode ?? ''}|${key.fromYear ?? ''}|${key.toYear ?? ''}` },
    ),
  };
  return loaders;
}

export function createContext(
  prisma: PrismaClient,
  verifier: TokenVerifier,
  references: ProjectReferences,
  request?: IncomingMessage,
): ProjectsContext {
  return {
    prisma,
    loaders: createLoaders(prisma),
    catalogue: regionCatalogue(),
    caller: lazyCaller(verifier, request?.headers.authorization),
    references,
    readAfterLsn: readAfterLsnOf(request),
  };
}
