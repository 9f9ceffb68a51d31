import { Prisma, type ProjectKind, type ProjectStatus, type ProjectTopic } from '@regiograph/db';
import { ErrorCode, requireRegionCodeArguments, userError } from '@regiograph/shared';

/** Conditions on projects shared by the list, Region.projects and the funding summary. */
export interface ProjectConditions {
  status?: ProjectStatus | null;
  kind?: ProjectKind | null;
  topic?: ProjectTopic | null;
  districtCode?: string | null;
  regionCode?: string | null;
  includeDescendants?: boolean | null;
  programme?: string | null;
  activeFrom?: Date | null;
  activeTo?: Date | null;
  cooperationId?: string | null;
}

/**
 * Refuses a region code argument as every other subgraph's read arguments do (shared's
 * requireRegionCodeArguments): an AGS names its ARS, a key a merger dissolved its successor, and a
 * well-formed key no region has is UNKNOWN_REGION_CODES rather than a list that is merely empty.
 */
export function assertRegionCodeArgument(code: string, argument: string): void {
  requireRegionCodeArguments([code], argument);
}

/**
 * Which project regions lie at or below `code`. An ARS starts with the codes of every region above
 * it; district and county prefixes are stored columns (indexed), deeper levels use a prefix match.
 */
export function regionMatch(code: string, includeDescendants: boolean): Prisma.ProjectRegionWhereInput {
  if (!includeDescendants) return { regionCode: code };
  // Not {}: inside the loader's OR of several regions an empty condition matches no row.
  if (code.length === 2) return { regionCode: { startsWith: code } };
  if (code.length === 3) return { districtCode: code };
  if (code.length === 5) return { countyCode: code };
  return { regionCode: { startsWith: code } };
}

/** The same test in memory, for distributing a batched answer to the regions that asked. */
export function regionMatches(regionCode: string, code: string, includeDescendants: boolean): boolean {
  return includeDescendants ? regionCode.startsWith(code) : regionCode === code;
}

export function projectWhere(conditions: ProjectConditions | null | undefined, argumentPrefix = 'filter'): Prisma.ProjectWhereInput {
  const all: Prisma.ProjectWhereInput[] = [];
  if (!conditions) return {};
  if (conditions.status) all.push({ status: conditions.status });
  if (conditions.kind) all.push({ kind: conditions.kind });
  if (conditions.topic) all.push({ topics: { has: conditions.topic } });
  if (conditions.districtCode != null) {
    if (!/^03[1-4]$/.test(conditions.districtCode)) {
      throw userError(`${argumentPrefix}.districtCode must be an ArL district code 031–034.`, ErrorCode.BadUserInput, {
        argument: `${argumentPrefix}.districtCode`,
      });
    }
    all.push({ districtCode: conditions.districtCode });
  }
  if (conditions.regionCode != null) {
    assertRegionCodeArgument(conditions.regionCode, `${argumentPrefix}.regionCode`);
    all.push({ regions: { some: regionMatch(conditions.regionCode, conditions.includeDescendants ?? false) } });
  }
  if (conditions.programme != null) all.push({ fundings: { some: { programmeCode: conditions.programme } } });
  const from = conditions.activeFrom ?? null;
  const to = conditions.activeTo ?? null;
  assertActivePeriod(from, to, `${argumentPrefix}.`);
  // A project is active in a period when the two overlap; an open end runs on.
  if (from) all.push({ OR: [{ endDate: null }, { endDate: { gte: from } }] });
  if (to) all.push({ startDate: { lte: to } });
  if (conditions.cooperationId != null) all.push({ cooperationId: conditions.cooperationId });
  return all.length === 0 ? {} : { AND: all };
}

/** A stable text key for a set of conditions, so equal conditions batch together. */
export function conditionsKey(conditions: object): string {
  return JSON.stringify(
    Object.entries(conditions)
      .filter(([, value]) => value !== undefined && value !== null)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

/** The SQL form of the project conditions for the raw aggregate queries (alias `p` for project). */
export function projectConditionsSql(conditions: ProjectConditions | null | undefined, argumentPrefix = 'filter'): Prisma.Sql[] {
  const parts: Prisma.Sql[] = [];
  if (!conditions) return parts;
  if (conditions.status) parts.push(Prisma.sql`p.status = ${conditions.status}::projects."ProjectStatus"`);
  if (conditions.kind) parts.push(Prisma.sql`p.kind = ${conditions.kind}::projects."ProjectKind"`);
  if (conditions.topic) parts.push(Prisma.sql`${conditions.topic}::projects."ProjectTopic" = ANY(p.topics)`);
  if (conditions.districtCode != null) {
    if (!/^03[1-4]$/.test(conditions.districtCode)) {
      throw userError(`${argumentPrefix}.districtCode must be an ArL district code 031–034.`, ErrorCode.BadUserInput, {
        argument: `${argumentPrefix}.districtCode`,
      });
    }
    parts.push(Prisma.sql`p.district_code = ${conditions.districtCode}`);
  }
  const from = conditions.activeFrom ?? null;
  const to = conditions.activeTo ?? null;
  if (from) parts.push(Prisma.sql`(p.end_date IS NULL OR p.end_date >= ${from}::date)`);
  if (to) parts.push(Prisma.sql`p.start_date <= ${to}::date`);
  if (conditions.cooperationId != null) parts.push(Prisma.sql`p.cooperation_id = ${conditions.cooperationId}`);
  return parts;
}

/** SQL: the lead region `alias` lies at or below `code`. */
export function leadRegionSql(code: string, includeDescendants: boolean, alias = 'lead'): Prisma.Sql {
  const column = Prisma.raw(`${alias}.region_code`);
  if (!includeDescendants) return Prisma.sql`${column} = ${code}`;
  return Prisma.sql`starts_with(${column}, ${code})`;
}

/**
 * A period ending before it starts selects nothing: refused rather than answered "no projects", under
 * the names of ProjectFilter and of Region.projects alike (`prefix`: where the two arguments are).
 */
export function assertActivePeriod(from: Date | null, to: Date | null, prefix: string): void {
  if (from && to && to < from) {
    throw userError(`${prefix}activeTo must not be before activeFrom.`, ErrorCode.BadUserInput, { argument: `${prefix}activeTo` });
  }
}
