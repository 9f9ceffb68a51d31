import DataLoader from 'dataloader';
import type { Prisma, PrismaClient, RegionBoundary, RegionDataSource, RegionLevel } from '@regiograph/db';
import { ANCESTOR_CODE_LENGTHS, manyByKey, oneByKey } from '@regiograph/shared';

/**
 * The columns the Region type's fields read: no more. A 500-municipality lookup maps every parent
 * and ancestor through Prisma, and the search and tree columns (name_folded, county_code) only
 * ever appear in WHERE clauses.
 */
export const REGION_COLUMNS = {
  code: true,
  ags: true,
  name: true,
  officialType: true,
  level: true,
  nuts: true,
  parentCode: true,
  districtCode: true,
  validSince: true,
  sourceId: true,
} as const satisfies Prisma.RegionSelect;

export type RegionRow = Prisma.RegionGetPayload<{ select: typeof REGION_COLUMNS }>;

export interface DescendantsKey {
  code: string;
  level: RegionLevel | null;
}

export interface RegionsContext {
  prisma: PrismaClient;
  loaders: RegionLoaders;
}

export interface RegionLoaders {
  regionByCode: DataLoader<string, RegionRow | null>;
  childrenByParentCode: DataLoader<string, RegionRow[]>;
  descendants: DataLoader<DescendantsKey, RegionRow[], string>;
  boundaryByCode: DataLoader<string, RegionBoundary | null>;
  dataSourceById: DataLoader<string, RegionDataSource | null>;
}

/**
 * Descendants are found through the denormalised district and county columns (indexed), never by
 * walking the tree: one statement answers any mix of ancestors and levels.
 */
async function loadDescendants(prisma: PrismaClient, keys: readonly DescendantsKey[]): Promise<RegionRow[][]> {
  const levels = keys.some((key) => key.level === null) ? undefined : [...new Set(keys.map((key) => key.level!))];
  const codes = [...new Set(keys.map((key) => key.code))];
  const wholeState = codes.some((code) => code.length === 2);
  const rows = await prisma.region.findMany({
    select: REGION_COLUMNS,
    where: {
      ...(levels ? { level: { in: levels } } : {}),
      ...(wholeState
        ? {}
        : {
            OR: [
              { districtCode: { in: codes.filter((code) => code.length === 3) } },
              { countyCode: { in: codes.filter((code) => code.length === 5) } },
              { parentCode: { in: codes.filter((code) => code.length > 5) } },
            ],
          }),
    },
    orderBy: { code: 'asc' },
  });
  // An ARS starts with the ARS of every region above it, so rows file under their prefixes.
  const byAncestor = new Map<string, RegionRow[]>();
  for (const row of rows) {
    for (const length of ANCESTOR_CODE_LENGTHS) {
      if (row.code.length <= length) break;
      const bucket = byAncestor.get(row.code.slice(0, length));
      if (bucket) bucket.push(row);
      else byAncestor.set(row.code.slice(0, length), [row]);
    }
  }
  return keys.map((key) => (byAncestor.get(key.code) ?? []).filter((row) => key.level === null || row.level === key.level));
}

/** Fresh loaders for every request: batching within it, and no data cached across callers. */
export function createLoaders(prisma: PrismaClient): RegionLoaders {
  return {
    regionByCode: new DataLoader(
      oneByKey(
        (codes) => prisma.region.findMany({ select: REGION_COLUMNS, where: { code: { in: codes } } }),
        (row) => row.code,
      ),
    ),
    childrenByParentCode: new DataLoader(
      manyByKey(
        (codes) => prisma.region.findMany({ select: REGION_COLUMNS, where: { parentCode: { in: codes } }, orderBy: { code: 'asc' } }),
        (row) => row.parentCode,
      ),
    ),
    descendants: new DataLoader((keys) => loadDescendants(prisma, keys), {
      cacheKeyFn: (key) => `${key.code}:${key.level ?? '*'}`,
    }),
    boundaryByCode: new DataLoader(
      oneByKey(
        (codes) => prisma.regionBoundary.findMany({ where: { code: { in: codes } } }),
        (row) => row.code,
      ),
    ),
    dataSourceById: new DataLoader(
      oneByKey(
        (ids) => prisma.regionDataSource.findMany({ where: { id: { in: ids } } }),
        (row) => row.id,
      ),
    ),
  };
}

export function createContext(prisma: PrismaClient): RegionsContext {
  return { prisma, loaders: createLoaders(prisma) };
}
