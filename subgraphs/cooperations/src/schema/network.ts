import { CODE_LENGTH_OF_LEVEL, ErrorCode, InputRefusalReason, requireRegionCodeArguments, sizedBy, userError } from '@regiograph/shared';
import { builder } from '../builder';
import type { CooperationRow, CooperationsContext } from '../context';
import { regionCatalogue } from '../region-catalogue';
import { RegionLevelEnum, type RegionLevelValue } from './common';
import { CooperationType, RegionRef } from './refs';

export const MAX_NETWORK_REGIONS = 1000;

interface EdgeRow {
  source: string;
  target: string;
  cooperation_count: number;
  cooperation_ids: string[];
}

const CooperationEdgeType = builder.objectRef<EdgeRow>('CooperationNetworkEdge').implement({
  description: 'Two of the asked regions that cooperate, with the cooperations they share (an edge of the cooperation graph).',
  fields: (t) => ({
    source: t.field({ type: RegionRef, description: 'The region with the smaller code.', resolve: (edge) => ({ code: edge.source }) }),
    target: t.field({ type: RegionRef, description: 'The region with the larger code.', resolve: (edge) => ({ code: edge.target }) }),
    cooperationCount: t.int({
      description: 'How many distinct cooperations both take part in.',
      resolve: (edge) => edge.cooperation_count,
    }),
    cooperations: t.field({
      type: [CooperationType],
      description: 'The cooperations both take part in, by id.',
      resolve: async (edge, _args, ctx) => {
        const rows = await ctx.loaders.cooperationById.loadMany(edge.cooperation_ids);
        return rows.filter((row): row is CooperationRow => row !== null && !(row instanceof Error));
      },
    }),
  }),
});

function networkNodes(args: {
  regionCodes?: (string | number)[] | null;
  within?: string | number | null;
  level?: RegionLevelValue | null;
}): string[] {
  const catalogue = regionCatalogue();
  if (args.regionCodes != null) {
    if (args.within != null || args.level != null) {
      throw userError('Give either regionCodes or within and level, not both.', ErrorCode.BadUserInput, { argument: 'regionCodes' });
    }
    const given = args.regionCodes.map(String);
    const codes = [...new Set(given)];
    if (codes.length < 2) {
      // A code given twice is still one region: say so, or "at least two" reads as a miscount.
      const repeated = codes.filter((code) => given.indexOf(code) !== given.lastIndexOf(code));
      throw userError(
        `regionCodes needs at least two different regions${repeated.length > 0 ? `; ${repeated.join(', ')} is given ${given.length === 2 ? 'twice' : `${given.length} times`}` : ''}.`,
        ErrorCode.BadUserInput,
        { argument: 'regionCodes' },
      );
    }
    if (codes.length > MAX_NETWORK_REGIONS) {
      throw userError(`regionCodes is limited to ${MAX_NETWORK_REGIONS} regions; got ${codes.length}.`, ErrorCode.TooManyItems, {
        argument: 'regionCodes',
        limit: MAX_NETWORK_REGIONS,
      });
    }
    return requireRegionCodeArguments(codes, 'regionCodes');
  }
  if (args.within == null || args.level == null) {
    throw userError('Give regionCodes, or within (an ARS code) and level.', ErrorCode.BadUserInput, { argument: 'within' });
  }
  const [within] = requireRegionCodeArguments([args.within], 'within') as [string];
  if (CODE_LENGTH_OF_LEVEL[args.level] <= within.length) {
    throw userError(`level ${args.level} is not below region ${within}.`, ErrorCode.BadUserInput, {
      argument: 'level',
      reason: InputRefusalReason.ParentNotAbove,
    });
  }
  return catalogue.below(within, args.level).map((region) => region.code);
}

interface NetworkArguments {
  regionCodes?: (string | number)[] | null;
  within?: string | number | null;
  level?: RegionLevelValue | null;
  activeOn?: Date | string | null;
  attributeDescendants?: boolean | null;
}

/** The edges of a network, strongest first, in one statement. */
async function networkEdges(args: NetworkArguments, ctx: CooperationsContext): Promise<EdgeRow[]> {
  const nodes = networkNodes(args);
  const day = args.activeOn ?? null;
  const attribute = args.attributeDescendants ?? true;
  // One statement: attribute memberships to the given regions, then self-join on the cooperation.
  // With a day, the condition on c is cooperationActiveOn's rule (common.ts): m is a membership valid
  // on the day, which is all the rule asks of a cooperation whose founding day is unknown.
  return ctx.prisma.$queryRaw<EdgeRow[]>`
    WITH node AS (SELECT unnest(${nodes}::text[]) AS code),
    attributed AS (
      SELECT DISTINCT node.code AS node_code, m.cooperation_id
      FROM node
      JOIN cooperations.membership m
        ON m.region_code = node.code OR (${attribute} AND starts_with(m.region_code, node.code))
      JOIN cooperations.cooperation c ON c.id = m.cooperation_id
      WHERE ${day}::date IS NULL OR (
        m.valid_from <= ${day}::date AND (m.valid_until IS NULL OR m.valid_until >= ${day}::date)
        AND c.status <> 'PLANNED' AND (c.founded IS NULL OR c.founded <= ${day}::date)
        AND (c.dissolved_on IS NULL OR c.dissolved_on >= ${day}::date))
    )
    SELECT a.node_code AS source, b.node_code AS target, count(*)::int AS cooperation_count,
           array_agg(a.cooperation_id ORDER BY a.cooperation_id) AS cooperation_ids
    FROM attributed a
    JOIN attributed b ON a.cooperation_id = b.cooperation_id AND a.node_code < b.node_code
    GROUP BY a.node_code, b.node_code
    ORDER BY cooperation_count DESC, source, target`;
}

interface Network {
  edges: EdgeRow[];
}

const CooperationNetworkType = builder.objectRef<Network>('CooperationNetwork').implement({
  description:
    'A cooperation graph with its regions listed once: clients that want names (or more) ask for them on `regions` and ' +
    'match the edges by code, so each region is resolved once however many edges it has.',
  fields: (t) => ({
    regions: t.field({
      type: [RegionRef],
      description: 'The regions that take part in at least one edge, each once, ordered by code.',
      resolve: (network) => [...new Set(network.edges.flatMap((edge) => [edge.source, edge.target]))].sort().map((code) => ({ code })),
    }),
    edges: t.field({
      type: [CooperationEdgeType],
      description: 'The edges, the strongest pairs first (as cooperationNetwork).',
      resolve: (network) => network.edges,
    }),
  }),
});

const NETWORK_DESCRIPTION =
  'every pair of the given regions that share at least one ' +
  'cooperation, with how many, the strongest pairs first. The regions are given as regionCodes, or as all regions of ' +
  '`level` below `within` (e.g. the counties of district 032). By default a member region below a given region counts ' +
  'for it (a municipality’s membership counts for its county); each cooperation counts once per pair.';

builder.queryFields((t) => {
  const networkArgs = () => ({
    regionCodes: t.arg.idList({ required: false, description: `The regions (ARS codes), 2–${MAX_NETWORK_REGIONS} different ones.` }),
    within: t.arg.id({ required: false, description: 'With level: take the regions of that level below this region.' }),
    level: t.arg({ type: RegionLevelEnum, required: false, description: 'With within: the level of the regions to take.' }),
    activeOn: t.arg({
      type: 'Date',
      required: false,
      description: 'Only memberships and cooperations active on this day; without it every membership ever counts.',
    }),
    attributeDescendants: t.arg.boolean({
      required: false,
      defaultValue: true,
      description: 'Whether memberships of regions below a given region count for it (default true).',
    }),
  });
  return {
    cooperationNetwork: t.field({
      type: [CooperationEdgeType],
      description: `The cooperation graph of a set of regions, for analysts: ${NETWORK_DESCRIPTION}`,
      // Estimated as one edge per region given (the strongest pairs); the subgraph's item budget bounds denser graphs.
      directives: sizedBy({ arguments: ['regionCodes', 'level'] }, MAX_NETWORK_REGIONS),
      args: networkArgs(),
      resolve: (_root, args, ctx) => networkEdges(args, ctx),
    }),
    cooperationNetworkGraph: t.field({
      type: CooperationNetworkType,
      description: `The cooperation graph of a set of regions as cooperationNetwork, with its regions listed once beside the edges: ${NETWORK_DESCRIPTION}`,
      // Regions and edges both number up to one per region given, as cooperationNetwork's edges.
      directives: sizedBy({ arguments: ['regionCodes', 'level'], sizedFields: ['regions', 'edges'] }, MAX_NETWORK_REGIONS),
      args: networkArgs(),
      resolve: async (_root, args, ctx) => ({ edges: await networkEdges(args, ctx) }),
    }),
  };
});
