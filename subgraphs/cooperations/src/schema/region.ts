import { districtCodeOf, isRegionCode, widenedBy } from '@regiograph/shared';
import { builder } from '../builder';
import type { CooperationRow, Reach } from '../context';
import { cooperationActiveOn, membershipActiveOn } from './common';
import { CooperationType, MembershipType, OfficeType, RegionRef, StrategyType } from './refs';

const CooperationReachEnum = builder.enumType('CooperationReach', {
  description: 'Whose memberships count when asking for a region’s cooperations.',
  values: {
    SELF: { description: 'Only the region’s own memberships.' },
    ANCESTORS: { description: 'Only memberships of the regions above it (its Samtgemeinde, county, district, the state).' },
    DESCENDANTS: { description: 'Only memberships of the regions below it (e.g. a county’s Samtgemeinden and municipalities).' },
    ALL: { description: 'The region’s own memberships and those of every region above and below it.' },
  } as const,
});

/** The ArL district of a region (shared's districtCodeOf); none for the state or a malformed code. */
function districtOf(code: string): string | null {
  return isRegionCode(code) ? districtCodeOf(code) : null;
}

builder.objectFields(RegionRef, (t) => ({
  memberships: t.field({
    type: [MembershipType],
    // Nullable like every field added to another subgraph's entity: if this subgraph is down,
    // the gateway can still answer with the region's own fields.
    nullable: true,
    description: 'The region’s own memberships in cooperations, by cooperation id.',
    args: { activeOn: t.arg({ type: 'Date', required: false, description: 'Only memberships active on this day.' }) },
    resolve: async (region, args, ctx) => {
      const day = args.activeOn ?? null;
      const memberships = await ctx.loaders.membershipsByReach.load({ code: region.code, reach: 'SELF' });
      return day ? memberships.filter((membership) => membershipActiveOn(membership, day)) : memberships;
    },
  }),
  cooperations: t.field({
    type: [CooperationType],
    nullable: true,
    description:
      'The cooperations the region takes part in, ordered by id: directly (SELF, the default), through a region above or ' +
      'below it, or all of these. Each cooperation appears once however many memberships lead to it.',
    // A region's own (SELF): at most 6 shipped, 25 leaves room. The state through DESCENDANTS or ALL
    // has every cooperation with a member: 66 of the 71 shipped; 80 leaves room (list-sizes.test.ts
    // holds the data to both).
    directives: widenedBy(['through'], { narrowSize: 25, wideSize: 80 }),
    args: {
      through: t.arg({ type: CooperationReachEnum, required: false, defaultValue: 'SELF', description: 'Whose memberships count.' }),
      activeOn: t.arg({
        type: 'Date',
        required: false,
        description: 'Only cooperations active on this day through a membership active on this day.',
      }),
    },
    resolve: async (region, args, ctx) => {
      const day = args.activeOn ?? null;
      const reach: Reach = args.through ?? 'SELF';
      const memberships = await ctx.loaders.membershipsByReach.load({ code: region.code, reach });
      const counting = day ? memberships.filter((membership) => membershipActiveOn(membership, day)) : memberships;
      const ids = [...new Set(counting.map((m) => m.cooperationId))].sort();
      const cooperations = await ctx.loaders.cooperationById.loadMany(ids);
      // The memberships that lead here are valid on the day: the evidence the rule reads when a founding day is unknown.
      return cooperations.filter(
        (cooperation): cooperation is CooperationRow =>
          cooperation !== null && !(cooperation instanceof Error) && (!day || cooperationActiveOn(cooperation, day, counting)),
      );
    },
  }),
  office: t.field({
    type: OfficeType,
    nullable: true,
    description: 'The Amt für regionale Landesentwicklung responsible for the region; null for the state.',
    resolve: (region, _args, ctx) => {
      const district = districtOf(region.code);
      return district ? ctx.loaders.officeByDistrict.load(district) : null;
    },
  }),
  strategy: t.field({
    type: StrategyType,
    nullable: true,
    description: 'The regional action strategy of the region’s ArL district; null for the state.',
    resolve: (region, _args, ctx) => {
      const district = districtOf(region.code);
      return district ? ctx.loaders.strategyByDistrict.load(district) : null;
    },
  }),
}));
