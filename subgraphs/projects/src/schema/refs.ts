import type { ObjectRef, SchemaTypes } from '@pothos/core';
import { FundingLevel, ProjectKind, ProjectRegionRole, ProjectStatus, ProjectTopic } from '@regiograph/db';
import { builder } from '../builder';
import { LANGUAGE_ENUM, REGION_LEVEL_ENUM } from '@regiograph/shared';
import { defineRegionStub } from '@regiograph/subgraph-kit';

export const ProjectKindEnum = builder.enumType(ProjectKind, {
  name: 'ProjectKind',
  description: 'What kind of project it is.',
  values: {
    STUDY: { description: 'A study commissioned where knowledge is missing.' },
    MODEL_PROJECT: { description: 'A model project (Modellvorhaben) testing a forward-looking solution, evaluated for transfer.' },
    OTHER: { description: 'Any other project of regional development.' },
  },
});

export const ProjectStatusEnum = builder.enumType(ProjectStatus, {
  name: 'ProjectStatus',
  description: 'Where a project stands. PLANNED → RUNNING → COMPLETED; PLANNED or RUNNING → CANCELLED.',
  values: {
    PLANNED: { description: 'Decided or applied for, not started.' },
    RUNNING: { description: 'Under way.' },
    COMPLETED: { description: 'Finished; its findings are final.' },
    CANCELLED: { description: 'Stopped before completion.' },
  },
});

export const ProjectTopicEnum = builder.enumType(ProjectTopic, {
  name: 'ProjectTopic',
  description: 'Themes of regional development; the same themes the indicators are grouped by.',
  values: {
    MOBILITY: { description: 'Mobility and transport.' },
    EDUCATION: { description: 'Schools, childcare and further education.' },
    RETAIL: { description: 'Local supply and retail.' },
    MEDICAL_CARE: { description: 'Medical care and nursing.' },
    DEMOGRAPHY: { description: 'Population development and demographic change.' },
    ECONOMY: { description: 'Economy and business development.' },
    LABOUR_MARKET: { description: 'Labour market and skilled workers.' },
    ENVIRONMENT: { description: 'Environment, climate and energy.' },
  },
});

export const ProjectRegionRoleEnum = builder.enumType(ProjectRegionRole, {
  name: 'ProjectRegionRole',
  description: 'The part a region plays in a project.',
  values: {
    LEAD: { description: 'Leads the project; funding is attributed to the lead region. Every project has exactly one.' },
    PARTNER: { description: 'Takes part in carrying out the project.' },
    BENEFICIARY: { description: 'Benefits from the project without carrying it.' },
  },
});

export const FundingLevelEnum = builder.enumType(FundingLevel, {
  name: 'FundingLevel',
  description: 'The government level that runs a funding programme.',
  values: {
    EU: { description: 'A fund of the European Union, administered by the state.' },
    FEDERAL: { description: 'A federal (or joint federal–state) programme.' },
    STATE: { description: 'A programme of the state of Lower Saxony.' },
  },
});

export const RegionLevelEnum = builder.enumType('RegionLevel', REGION_LEVEL_ENUM);
export const LanguageEnum = builder.enumType('Language', LANGUAGE_ENUM);

type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer Types extends SchemaTypes> ? Types : never;

// The entities below are owned by other subgraphs and known here by key only. They are typed as
// plain object refs (the plugin's external-ref class is not exported); extensions.ts adds this
// subgraph's fields to them. Descriptions repeat the owners' words, so composition has nothing to reconcile.

/** Region, owned by the regions subgraph; this subgraph adds projects and funding totals. */
export const RegionRef = defineRegionStub(builder);

/** Indicator, owned by the indicators subgraph; this subgraph adds the projects aiming at it. */
export const IndicatorRef: ObjectRef<BuilderTypes, { code: string }> = builder
  .externalRef('Indicator', builder.selection<{ code: string }>('code'), (reference) => ({ code: reference.code }))
  .implement({
    description: 'An indicator of the regional monitoring: what is measured, how, for which regions and years, and from which source.',
    fields: (t) => ({
      code: t.exposeID('code', { description: 'Stable identifier, e.g. "population" or "unemployment_rate".' }),
    }),
  });

/** Cooperation, owned by the cooperations subgraph; this subgraph adds the projects it carries. */
export const CooperationRef: ObjectRef<BuilderTypes, { id: string }> = builder
  .externalRef('Cooperation', builder.selection<{ id: string }>('id'), (reference) => ({ id: reference.id }))
  .implement({
    description:
      'A cooperation of regions: inter-municipal, cross-county, metropolitan, LEADER/ILE, Zukunftsregion or other. ' +
      'Every record says whether it is synthetic demonstration data and where it comes from.',
    fields: (t) => ({
      id: t.exposeID('id', { description: 'Stable identifier such as "C-017".' }),
    }),
  });
