import { defineRegionStub } from '@regiograph/subgraph-kit';
import { builder } from '../builder';
import type { CooperationRow, MembershipRow, OfficeRow, StrategyRow } from '../context';

/** A region owned by the regions subgraph, known here by its ARS code only; its fields are added with builder.objectFields. */
export const RegionRef = defineRegionStub(builder);

export const CooperationType = builder.objectRef<CooperationRow>('Cooperation');
export const MembershipType = builder.objectRef<MembershipRow>('CooperationMembership');
export const StrategyType = builder.objectRef<StrategyRow>('RegionalStrategy');
export const OfficeType = builder.objectRef<OfficeRow>('Office');
