import type { Prisma } from '@regiograph/db';
import { RegionLevel } from '@regiograph/db';
import {
  ancestorCodesOf,
  cost,
  countyCodeOf,
  decodeCursor,
  ErrorCode,
  foldedNameSearch,
  isRegionCode,
  KEY_SUCCESSIONS,
  listSize,
  malformedRegionCodeError,
  nameDistance,
  nameEditLimit,
  REGION_LEVEL_ENUM,
  regionCatalogue,
  regionNotFoundError,
  REGION_ENTITY_DOCS,
  requireRegionCodeArguments,
  sizedBy,
  userError,
} from '@regiograph/shared';
import { GraphQLError } from 'graphql';
import { builder } from '../builder';
import { REGION_COLUMNS, type RegionRow, type RegionsContext } from '../context';
import { simplifyGeometry } from '../geometry';
import { BKG_ATTRIBUTION } from '../seed';
import { DataSourceType } from './data-source';
import { DEFAULT_PAGE_SIZE, defineConnection, likeLiteral, PAGED_LIST_SIZE, pageSizeOf, type Page } from '@regiograph/subgraph-kit';

export const MAX_PAGE_SIZE = 1000;
export const MAX_BULK_CODES = 1000;

/** Suggestions for a misspelt name: five by default, at most twenty. */
const DEFAULT_SUGGESTIONS = 5;
const MAX_SUGGESTIONS = 20;
/** Demand control's price per suggestion asked for (see regionNameSuggestions). */
const SUGGESTION_WEIGHT = 10;
/** shared's nameEditLimit in words. */
const NAME_EDITS_DOCS = 'one inserted, dropped, changed or swapped letter for a search of up to four letters, two up to nine, three beyond';

/** How a key a merger dissolved is answered: the same words in region and regionsByCodes. */
const FORMER_CODE_DOCS =
  'A county key a merger dissolved (03201 and 03253, Region Hannover 03241 since 2001-11-01; 03152 and 03156, Göttingen 03159 ' +
  'since 2016-11-01; from Destatis GENESIS 12411-0015) is NOT_FOUND, and the error names the successor and the day ' +
  '(also in extensions.successors: former key → { name, codes, since }).';

/** A key a merger dissolved into a region of the directory (shared's KEY_SUCCESSIONS). */
interface FormerRegionCodeRow {
  code: string;
  name: string;
  mergedOn: Date;
}

const FormerRegionCodeType = builder.objectRef<FormerRegionCodeRow>('FormerRegionCode').implement({
  description:
    "A county key a merger dissolved, whose area belongs to the region since the merger; no region of the directory has it. Source: the official county series (Destatis GENESIS 12411-0015), which end the old keys and start the new one with the merger's year.",
  fields: (t) => ({
    code: t.exposeString('code', { description: 'The dissolved key (5 digits), e.g. "03152".' }),
    name: t.exposeString('name', { description: 'Its official name until the merger.' }),
    mergedOn: t.expose('mergedOn', { type: 'Date', description: "The day of the merger: the first day of the region's key." }),
  }),
});

export const RegionLevelEnum = builder.enumType('RegionLevel', REGION_LEVEL_ENUM);

export const RegionType = builder.objectRef<RegionRow>('Region');

/** A code that is no ARS: shared's one check of region codes, the same words in every subgraph. */
function assertRegionCode(code: string, argument: string): void {
  const error = malformedRegionCodeError(code, argument, { argument });
  if (error) throw error;
}

/**
 * A region a filter is relative to: malformed as assertRegionCode refuses it, and a well-formed code
 * no region has as every subgraph refuses it (requireRegionCodeArguments: UNKNOWN_REGION_CODES, a
 * dissolved key's successor named), since below a region that does not exist every page is empty.
 */
function requireFilterRegion(code: string, argument: string): string {
  assertRegionCode(code, argument);
  return requireRegionCodeArguments([code], argument)[0]!;
}

RegionType.implement({
  description: REGION_ENTITY_DOCS.description,
  fields: (t) => ({
    code: t.exposeID('code', { description: REGION_ENTITY_DOCS.code }),
    ags: t.exposeString('ags', {
      nullable: true,
      description: 'The Amtlicher Gemeindeschlüssel (AGS) where the region has one (state, counties, municipalities).',
    }),
    name: t.exposeString('name', { description: 'The official name.' }),
    officialType: t.exposeString('officialType', {
      description: 'The official designation, e.g. "Landkreis", "Kreisfreie Stadt", "Samtgemeinde", "Stadt".',
    }),
    level: t.expose('level', { type: RegionLevelEnum, description: 'The level in the administrative hierarchy.' }),
    nuts: t.exposeString('nuts', { nullable: true, description: 'The NUTS code (NUTS-1 state, NUTS-2 district, NUTS-3 county).' }),
    validSince: t.expose('validSince', {
      type: 'Date',
      nullable: true,
      description:
        "The region directory's valid-since date (BKG VG5000, 01.01.2021): the day of the region's latest change of area or name, " +
        'not the day its code began. For a county that is often a merger of municipalities inside it (Helmstedt 2017-07-01) or a new ' +
        'name under the old key (Heidekreis 2011-08-01); Region Hannover has 2009-01-01 though its key 03241 dates from 2001-11-01. ' +
        'The first day of the code is codeExistsSince. Null for the ArL districts, which the directory does not date.',
    }),
    codeExistsSince: t.field({
      type: 'Date',
      nullable: true,
      description:
        'The first day the code exists, from which records (indicator values, memberships, projects) may name it: for the counties ' +
        '03241 and 03159 and every region below them the day their key replaced dissolved ones (2001-11-01, 2016-11-01); for a ' +
        "municipality or Samtgemeinde, whose key changes with its form, validSince (or its county's day, if later) — possibly later " +
        "than the key's true first day, never earlier. Null when the code is older than any record the API holds (the state, the " +
        'ArL districts, the other counties).',
      resolve: (region) => regionCatalogue().keyExistsSince(region.code) ?? null,
    }),
    formerCodes: t.field({
      type: [FormerRegionCodeType],
      description:
        'The keys a merger dissolved into this region, with the day: 03201 and 03253 for Region Hannover (03241), 03152 and 03156 ' +
        'for Göttingen (03159); empty for every other region. Data keyed by a former key belongs to this region from that day on.',
      directives: listSize({ assumedSize: 2 }),
      resolve: (region) => {
        const succession = KEY_SUCCESSIONS.find((candidate) => candidate.code === region.code);
        return succession ? succession.formerCodes.map((former) => ({ ...former, mergedOn: succession.since })) : [];
      },
    }),
    parent: t.field({
      type: RegionType,
      nullable: true,
      description: 'The region directly above; null for the state.',
      resolve: (region, _args, ctx) => (region.parentCode ? ctx.loaders.regionByCode.load(region.parentCode) : null),
    }),
    children: t.field({
      type: [RegionType],
      description: 'The regions directly below, ordered by code.',
      // Landkreis Osnabrück and Göttingen have the most: 21.
      directives: listSize({ assumedSize: 21 }),
      args: { level: t.arg({ type: RegionLevelEnum, required: false, description: 'Only children of this level.' }) },
      resolve: async (region, args, ctx) => {
        const children = await ctx.loaders.childrenByParentCode.load(region.code);
        return args.level ? children.filter((child) => child.level === args.level) : children;
      },
    }),
    ancestors: t.field({
      type: [RegionType],
      description: 'All regions above, from the state down to the parent.',
      directives: listSize({ assumedSize: 4 }),
      resolve: async (region, _args, ctx) => {
        const ancestors = await ctx.loaders.regionByCode.loadMany(ancestorCodesOf(region.code));
        // A municipality outside any Samtgemeinde has no region at its 9-digit prefix.
        return ancestors.filter((ancestor): ancestor is RegionRow => ancestor !== null && !(ancestor instanceof Error));
      },
    }),
    descendants: t.field({
      type: [RegionType],
      description: 'All regions below, at any depth, ordered by code.',
      // Sized by the level asked for: its regions below the region that `region(code:)` names where the
      // parent is that one (the catalogue's count, list-sizes.test.ts holds the data to it), else the
      // whole level's (a county's municipalities were priced as all 967); without a level, every
      // region below the state.
      directives: sizedBy({ arguments: ['level'], within: 'parent.code' }, 1132),
      args: { level: t.arg({ type: RegionLevelEnum, required: false, description: 'Only descendants of this level.' }) },
      resolve: (region, args, ctx) => ctx.loaders.descendants.load({ code: region.code, level: args.level ?? null }),
    }),
    district: t.field({
      type: RegionType,
      nullable: true,
      description: 'The ArL district (Amt für regionale Landesentwicklung) responsible for this region; null for the state.',
      resolve: (region, _args, ctx) => (region.districtCode ? ctx.loaders.regionByCode.load(region.districtCode) : null),
    }),
    county: t.field({
      type: RegionType,
      nullable: true,
      description:
        'The county (Landkreis, kreisfreie Stadt or Region Hannover) the region lies in, the region itself for a county; null for ' +
        'the state and the ArL districts. For a municipality of a Samtgemeinde, parent is the Samtgemeinde and this its county.',
      resolve: (region, _args, ctx) => {
        // The first five digits of the ARS (shared), as the seed fills the county_code column from.
        const county = countyCodeOf(region.code);
        return county ? ctx.loaders.regionByCode.load(county) : null;
      },
    }),
    boundary: t.field({
      type: 'GeoJSON',
      nullable: true,
      description:
        'The boundary as a GeoJSON geometry (WGS84), for counties and municipalities; null for other levels. ' +
        `Attribution: ${BKG_ATTRIBUTION}.`,
      // A geometry of hundreds of points weighs as much as many objects.
      directives: cost(10),
      args: {
        simplify: t.arg.float({
          required: false,
          description: 'Douglas–Peucker tolerance in degrees (e.g. 0.001 ≈ 100 m) for lighter maps; 0 or absent keeps every point.',
        }),
      },
      resolve: async (region, args, ctx) => {
        const tolerance = args.simplify ?? 0;
        if (!Number.isFinite(tolerance) || tolerance < 0 || tolerance > 1) {
          throw userError('simplify must be a tolerance between 0 and 1 degree.', ErrorCode.BadUserInput, { argument: 'simplify' });
        }
        const boundary = await ctx.loaders.boundaryByCode.load(region.code);
        if (!boundary) return null;
        const geometry = boundary.geometry as unknown as { type: string; coordinates: unknown };
        return simplifyGeometry(geometry, tolerance);
      },
    }),
    source: t.field({
      type: DataSourceType,
      description: 'Where this record comes from, with its attribution.',
      resolve: async (region, _args, ctx) => {
        const source = await ctx.loaders.dataSourceById.load(region.sourceId);
        if (!source) throw new Error(`data source ${region.sourceId} of region ${region.code} is missing`);
        return source;
      },
    }),
  }),
});

builder.asEntity(RegionType, {
  key: builder.selection<{ code: string }>('code'),
  resolveReference: (reference, ctx) => ctx.loaders.regionByCode.load(reference.code),
});

const UNKNOWN_FILTER_REGION_NOTE = 'A code no region has is refused with UNKNOWN_REGION_CODES (a dissolved key naming its successor).';

const RegionFilter = builder.inputType('RegionFilter', {
  description: 'Narrows a list of regions; all given conditions must hold.',
  fields: (t) => ({
    level: t.field({ type: RegionLevelEnum, required: false, description: 'Only regions of this level.' }),
    parentCode: t.id({
      required: false,
      description:
        'Only regions directly below this region (the counties of a district, not its municipalities: for every region of a level ' +
        'below it use ancestorCode). ' +
        UNKNOWN_FILTER_REGION_NOTE,
    }),
    ancestorCode: t.id({
      required: false,
      description:
        'Only regions anywhere below this region (as RegionSelection.parentCode of the indicators). ' + UNKNOWN_FILTER_REGION_NOTE,
    }),
    search: t.string({
      required: false,
      description:
        'Part of the name, folded: case, umlauts, ß, hyphens and full stops do not matter ("Lueneburg" finds Lüneburg, "Hann Muenden" Hann. Münden). Digits match the start of the code.',
    }),
  }),
});

/** Cursors of the region list carry the code of the page's last region. */
const CURSOR_KIND = 'region';

interface RegionPage extends Page<RegionRow> {
  where: Prisma.RegionWhereInput;
}

const RegionConnection = defineConnection(builder, {
  node: RegionType,
  name: 'Region',
  singular: 'region',
  plural: 'regions',
  description: 'A page of regions ordered by code.',
  cursorKind: CURSOR_KIND,
  positionOf: (page: RegionPage, index) => page.nodes[index]!.code,
  totalCount: (page, ctx) => ctx.prisma.region.count({ where: page.where }),
});

interface RegionFilterInput {
  level?: RegionLevel | null;
  parentCode?: string | number | null;
  ancestorCode?: string | number | null;
  search?: string | null;
}

function whereOf(filter: RegionFilterInput | null | undefined): Prisma.RegionWhereInput {
  const conditions: Prisma.RegionWhereInput[] = [];
  if (filter?.level) conditions.push({ level: filter.level });
  if (filter?.parentCode != null) {
    const parentCode = requireFilterRegion(String(filter.parentCode), 'filter.parentCode');
    conditions.push({ parentCode });
  }
  if (filter?.ancestorCode != null) {
    const code = requireFilterRegion(String(filter.ancestorCode), 'filter.ancestorCode');
    if (code.length === 2) conditions.push({ NOT: { code } });
    else if (code.length === 3) conditions.push({ districtCode: code, NOT: { code } });
    else if (code.length === 5) conditions.push({ countyCode: code, NOT: { code } });
    else conditions.push({ parentCode: code });
  }
  if (filter?.search != null) {
    const search = foldedNameSearch(filter.search, 'filter.search');
    conditions.push(/^\d+$/.test(search) ? { code: { startsWith: search } } : { nameFolded: { contains: likeLiteral(search) } });
  }
  return conditions.length === 0 ? {} : { AND: conditions };
}

builder.queryFields((t) => ({
  region: t.field({
    type: RegionType,
    nullable: true,
    description:
      'One region by its ARS code. An unknown code is answered with a NOT_FOUND error, a malformed one with BAD_USER_INPUT; ' +
      "a municipality's 8-digit AGS or a NUTS code (DE929) is refused the same way, and the error names its ARS (also in extensions.ars). " +
      FORMER_CODE_DOCS,
    args: {
      code: t.arg.id({
        required: true,
        description: 'The ARS code, e.g. "03" (state), "034" (ArL Weser-Ems), "03459" (Landkreis Osnabrück).',
      }),
    },
    resolve: async (_root, args, ctx) => {
      const code = String(args.code);
      assertRegionCode(code, 'code');
      const region = await ctx.loaders.regionByCode.load(code);
      if (!region) throw regionNotFoundError(code);
      return region;
    },
  }),
  regions: t.field({
    type: RegionConnection,
    description: 'A page of regions ordered by code, optionally filtered.',
    directives: PAGED_LIST_SIZE,
    args: {
      filter: t.arg({ type: RegionFilter, required: false, description: 'Conditions the regions must meet.' }),
      first: t.arg.int({ required: false, defaultValue: DEFAULT_PAGE_SIZE, description: `Page size, 1–${MAX_PAGE_SIZE}.` }),
      after: t.arg.string({ required: false, description: 'The endCursor of the previous page.' }),
    },
    resolve: async (_root, args, ctx: RegionsContext) => {
      const first = pageSizeOf(args.first, MAX_PAGE_SIZE);
      const where = whereOf(args.filter);
      const after = args.after ? decodeCursor(CURSOR_KIND, args.after, isRegionCode) : null;
      const rows = await ctx.prisma.region.findMany({
        select: REGION_COLUMNS,
        where: after ? { AND: [where, { code: { gt: after } }] } : where,
        orderBy: { code: 'asc' },
        take: first + 1,
      });
      for (const row of rows) ctx.loaders.regionByCode.prime(row.code, row);
      return { nodes: rows.slice(0, first), hasNextPage: rows.length > first, where };
    },
  }),
  regionNameSuggestions: t.field({
    type: [RegionType],
    description:
      'Regions whose name is near a search that may be misspelt, for a "did you mean" where `regions(filter: { search })` finds ' +
      'nothing: "Buckeburg" or "Bückebrug" suggest Bückeburg, "Zwischenan" Bad Zwischenahn. Folded as `filter.search` is, then ' +
      `compared with the whole name and with every run of its words, allowing ${NAME_EDITS_DOCS}. Nearest first, then by code; ` +
      'an empty list when no name is that near.',
    args: {
      search: t.arg.string({ required: true, description: 'The name as typed, at most 100 characters.' }),
      level: t.arg({ type: RegionLevelEnum, required: false, description: 'Only regions of this level.' }),
      first: t.arg.int({
        required: false,
        defaultValue: DEFAULT_SUGGESTIONS,
        description: `How many suggestions at most, 1–${MAX_SUGGESTIONS}.`,
      }),
    },
    // Every name of the directory (about 1,130) is read and compared: a fixed price per suggestion
    // asked for, which puts five at the work of a page of a few dozen regions.
    directives: {
      ...listSize({ slicingArguments: ['first'], assumedSize: DEFAULT_SUGGESTIONS, requireOneSlicingArgument: false }),
      ...cost(SUGGESTION_WEIGHT),
    },
    resolve: async (_root, args, ctx) => {
      const first = pageSizeOf(args.first ?? DEFAULT_SUGGESTIONS, MAX_SUGGESTIONS);
      const search = foldedNameSearch(args.search, 'search');
      const limit = nameEditLimit(search);
      const rows = await ctx.prisma.region.findMany({
        select: { ...REGION_COLUMNS, nameFolded: true },
        where: args.level ? { level: args.level } : {},
      });
      return rows
        .map(({ nameFolded, ...region }) => ({ region, distance: nameDistance(search, nameFolded, limit) }))
        .filter(({ distance }) => distance <= limit)
        .sort((a, b) => a.distance - b.distance || a.region.code.localeCompare(b.region.code))
        .slice(0, first)
        .map(({ region }) => {
          ctx.loaders.regionByCode.prime(region.code, region);
          return region;
        });
    },
  }),
  regionsByCodes: t.field({
    type: [RegionType],
    nullable: { list: false, items: true },
    description:
      `Many regions by code in one call (up to ${MAX_BULK_CODES}), in the order asked. ` +
      'An unknown or malformed code yields null at its position plus an error with its path and code NOT_FOUND or BAD_USER_INPUT; ' +
      "for a municipality's 8-digit AGS or a NUTS code (DE929) the error names its ARS (also in extensions.ars). " +
      FORMER_CODE_DOCS,
    args: { codes: t.arg.idList({ required: true, description: 'ARS codes; duplicates are allowed.' }) },
    directives: sizedBy({ arguments: ['codes'] }, MAX_BULK_CODES),
    resolve: async (_root, args, ctx) => {
      const codes = args.codes.map(String);
      if (codes.length > MAX_BULK_CODES) {
        throw userError(`codes is limited to ${MAX_BULK_CODES} per call; got ${codes.length}.`, ErrorCode.TooManyItems, {
          argument: 'codes',
          limit: MAX_BULK_CODES,
        });
      }
      const valid = codes.filter(isRegionCode);
      const found = await ctx.loaders.regionByCode.loadMany(valid);
      const byCode = new Map(valid.map((code, index) => [code, found[index]]));
      // graphql-js turns an Error in a list into null at that index plus an error with its path.
      return codes.map((code): RegionRow | GraphQLError => {
        const malformed = malformedRegionCodeError(code, 'Code', { key: code });
        if (malformed) return malformed;
        const region = byCode.get(code);
        if (region instanceof Error) throw region;
        return region ?? regionNotFoundError(code);
      }) as unknown as RegionRow[];
    },
  }),
}));
