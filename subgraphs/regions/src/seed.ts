import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BulkWriter, PrismaClient, RegionLevel } from '@regiograph/db';
import { BKG_SOURCE, countyCodeOf, districtCodeOf, foldGermanText, parseCsvRecords, REGIONS_CSV, type Logger } from '@regiograph/shared';
import { lockSeed, recordSeededFingerprint, seedIfBehind, shippedDataFingerprint } from '@regiograph/subgraph-kit';
import { SHIPPED_DATA_FINGERPRINTS } from './shipped-data';

/** The Postgres schema of this subgraph's tables. */
const REGIONS_SCHEMA = 'regions';

/** The copied reference data with its SOURCES.md, shipped inside this package. */
export const DATA_DIR = path.join(__dirname, '..', 'data');

const LEVELS: Record<string, RegionLevel> = {
  state: 'STATE',
  district: 'DISTRICT',
  county: 'COUNTY',
  municipal_association: 'MUNICIPAL_ASSOCIATION',
  municipality: 'MUNICIPALITY',
};

/** The directory's source lives beside the directory in shared, which every subgraph reads. */
export { BKG_ATTRIBUTION, BKG_SOURCE, DL_DE_BY_2_0_NAME } from '@regiograph/shared';

export interface RegionSeedRow {
  code: string;
  ags: string | null;
  name: string;
  nameFolded: string;
  officialType: string;
  level: RegionLevel;
  nuts: string | null;
  parentCode: string | null;
  districtCode: string | null;
  countyCode: string | null;
  validSince: Date | null;
  sourceId: string;
}

export async function readRegionRows(csvPath: string = REGIONS_CSV): Promise<RegionSeedRow[]> {
  const text = await readFile(csvPath, 'utf8');
  return parseCsvRecords(text).map(({ line, record }) => {
    const level = LEVELS[record.level ?? ''];
    if (!level || !record.ars) throw new Error(`regions.csv line ${line}: unknown level ${JSON.stringify(record.level)}`);
    return {
      code: record.ars,
      ags: record.ags || null,
      name: record.name!,
      nameFolded: foldGermanText(record.name!),
      officialType: record.type!,
      level,
      nuts: record.nuts || null,
      parentCode: record.parent_ars || null,
      districtCode: districtCodeOf(record.ars),
      countyCode: countyCodeOf(record.ars),
      validSince: record.valid_since ? new Date(`${record.valid_since}T00:00:00Z`) : null,
      sourceId: BKG_SOURCE.id,
    };
  });
}

interface FeatureCollection {
  features: { properties: { ars: string }; geometry: object }[];
}

async function readBoundaries(dataDir: string): Promise<{ code: string; geometry: object }[]> {
  const files = ['counties.geojson', 'municipalities.geojson'];
  const collections = await Promise.all(
    files.map(async (file) => JSON.parse(await readFile(path.join(dataDir, file), 'utf8')) as FeatureCollection),
  );
  return collections.flatMap((collection) =>
    collection.features.map((feature) => ({ code: feature.properties.ars, geometry: feature.geometry })),
  );
}

/**
 * Loads the real regions and boundaries, with the fingerprint of what it loaded. Idempotent: rows
 * are upserted by code, so running it again leaves the same state. Parents come before children,
 * so the hierarchy's foreign key holds. Nothing else writes these tables, so nothing is kept back.
 * With `onlyIfBehind` (a start's seed) it writes nothing when another replica seeded meanwhile.
 */
export async function seedRegions(
  prisma: PrismaClient,
  dataDir: string = DATA_DIR,
  onlyIfBehind?: readonly string[],
): Promise<{ regions: number; boundaries: number; fingerprint: string }> {
  const rows = await readRegionRows();
  const boundaries = await readBoundaries(dataDir);
  const ordered = [...rows].sort((a, b) => a.code.length - b.code.length || a.code.localeCompare(b.code));
  const fingerprint = shippedDataFingerprint({ sources: [BKG_SOURCE], regions: ordered, boundaries });
  // maxWait: on a loaded machine (a full test run) starting the transaction alone took over Prisma's default 2 s.
  await prisma.$transaction(
    async (tx) => {
      await lockSeed(tx, REGIONS_SCHEMA, onlyIfBehind);
      await tx.regionDataSource.upsert({ where: { id: BKG_SOURCE.id }, create: BKG_SOURCE, update: BKG_SOURCE });
      // One statement for all 1,133 regions instead of one round trip each.
      await tx.$executeRaw`
      INSERT INTO regions.region (code, ags, name, name_folded, official_type, level, nuts, parent_code, district_code, county_code, valid_since, source_id)
      SELECT * FROM unnest(
        ${ordered.map((row) => row.code)}::text[], ${ordered.map((row) => row.ags)}::text[], ${ordered.map((row) => row.name)}::text[],
        ${ordered.map((row) => row.nameFolded)}::text[], ${ordered.map((row) => row.officialType)}::text[],
        ${ordered.map((row) => row.level)}::regions."RegionLevel"[], ${ordered.map((row) => row.nuts)}::text[],
        ${ordered.map((row) => row.parentCode)}::text[], ${ordered.map((row) => row.districtCode)}::text[],
        ${ordered.map((row) => row.countyCode)}::text[], ${ordered.map((row) => row.validSince)}::date[],
        ${ordered.map((row) => row.sourceId)}::text[])
      ON CONFLICT (code) DO UPDATE SET
        ags = EXCLUDED.ags, name = EXCLUDED.name, name_folded = EXCLUDED.name_folded, official_type = EXCLUDED.official_type,
        level = EXCLUDED.level, nuts = EXCLUDED.nuts, parent_code = EXCLUDED.parent_code, district_code = EXCLUDED.district_code,
        county_code = EXCLUDED.county_code, valid_since = EXCLUDED.valid_since, source_id = EXCLUDED.source_id`;
      await tx.$executeRaw`
      INSERT INTO regions.region_boundary (code, geometry)
      SELECT * FROM unnest(${boundaries.map((b) => b.code)}::text[], ${boundaries.map((b) => JSON.stringify(b.geometry))}::jsonb[])
      ON CONFLICT (code) DO UPDATE SET geometry = EXCLUDED.geometry`;
      await recordSeededFingerprint(tx, REGIONS_SCHEMA, fingerprint);
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
  return { regions: rows.length, boundaries: boundaries.length, fingerprint };
}

/**
 * Seeds the regions when the shipped data is not what was last seeded: an empty database, one
 * seeded by an earlier release, or before fingerprints were kept. One lookup on other starts.
 */
export async function seedRegionsIfEmpty({ prisma }: BulkWriter, logger?: Pick<Logger, 'warn'>): Promise<boolean> {
  const seeded = await seedIfBehind(prisma, REGIONS_SCHEMA, SHIPPED_DATA_FINGERPRINTS, logger, (onlyIfBehind) =>
    seedRegions(prisma, DATA_DIR, onlyIfBehind),
  );
  return seeded !== null;
}
