import {
  ErrorCode,
  LANGUAGE_ARGUMENT,
  notFound,
  RECORD_ATTRIBUTION_DESCRIPTION,
  RECORD_LICENCE_DESCRIPTION,
  recordProvenance,
  requireRegionCodeArguments,
  userError,
} from '@regiograph/shared';
import { provenanceFields } from '@regiograph/subgraph-kit';
import { builder } from '../builder';
import type { FieldOfActionRow } from '../context';
import { LanguageEnum } from './common';
import { fieldOfActionProvenance, officeProvenance, strategyProvenance } from './provenance';
import { OfficeType, RegionRef, StrategyType } from './refs';

const DISTRICT_CODES = ['031', '032', '033', '034'];

export function assertDistrictCode(code: string, argument: string): void {
  // Malformed and unknown codes are refused as for every region-code argument; a region that is not a district after that.
  requireRegionCodeArguments([code], argument);
  if (!DISTRICT_CODES.includes(code)) {
    throw userError(`${argument} ${JSON.stringify(code)} is not an ArL district (031, 032, 033 or 034).`, ErrorCode.BadUserInput, {
      argument,
    });
  }
}

const FieldOfActionType = builder.objectRef<FieldOfActionRow>('FieldOfAction').implement({
  description: 'A field of action (Handlungsfeld) of a regional strategy with its goals.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable identifier, "<district>.HF<n>".' }),
    position: t.exposeInt('position', { description: 'Order within the strategy, from 1.' }),
    title: t.exposeString('title', { description: 'Title of the field of action.' }),
    goals: t.exposeStringList('goals', { description: 'Its goals; empty when the pages read do not give them.' }),
    synthetic: t.exposeBoolean('synthetic', {
      description: 'True when title and goals are synthetic demonstration data, not the real strategy’s text.',
    }),
    source: t.exposeString('source', { description: 'Where the record comes from.' }),
    ...provenanceFields(t, fieldOfActionProvenance, LanguageEnum),
  }),
});

StrategyType.implement({
  description:
    'The regional action strategy (Regionale Handlungsstrategie) of one ArL district, drawn up with the regional actors: ' +
    'the roadmap of the region. The first strategies were adopted on 15.12.2014; all four were updated in 2020 as the state’s page says (where another source ' +
    'states another year, updatedInYearsNote names it).',
  fields: (t) => ({
    districtCode: t.exposeID('districtCode', { description: 'The ArL district code, 031–034.' }),
    district: t.field({ type: RegionRef, description: 'The ArL district.', resolve: (strategy) => ({ code: strategy.districtCode }) }),
    title: t.exposeString('title', { description: 'Title of the strategy (edition read).' }),
    fieldsOfActionComplete: t.exposeBoolean('fieldsOfActionComplete', {
      description:
        'True only when fieldsOfAction is the strategy’s complete list; false when only part of it could be read (the list is partial).',
    }),
    fieldsOfActionNote: t.exposeString('fieldsOfActionNote', {
      nullable: true,
      description: 'Which edition was read and what is missing.',
    }),
    adoptedOn: t.expose('adoptedOn', { type: 'Date', description: 'Day the (first) strategy was adopted.' }),
    adoptedOnSynthetic: t.exposeBoolean('adoptedOnSynthetic', { description: 'True if adoptedOn is synthetic demonstration data.' }),
    updatedInYears: t.field({
      type: ['Int'],
      description:
        'Years the strategy was updated (Fortschreibung), oldest first. The sources state the year only, so no day is given: ' +
        'all four strategies were updated in 2020 for the EU funding period 2021–2027 (the state’s page). A source that states another ' +
        'year is named in updatedInYearsNote.',
      // updated_on stores 1 January of each stated year (reference-data.ts): only the year is a fact.
      resolve: (strategy) => strategy.updatedOn.map((day) => day.getUTCFullYear()),
    }),
    updatedInYearsNote: t.exposeString('updatedInYearsNote', {
      nullable: true,
      description:
        'Where a source read states an update year that updatedInYears does not hold: each such year with its source, beside ' +
        'the year shown and the page stating it (the sources disagree, and RegioGraph does not decide between them); null ' +
        'when the sources read agree.',
    }),
    updatedInYearsSynthetic: t.boolean({
      description: 'True if updatedInYears is synthetic demonstration data; false for the real update years.',
      resolve: (strategy) => strategy.updatedOnSynthetic,
    }),
    source: t.exposeString('source', { description: 'Where the record comes from, per field.' }),
    licence: t.string({
      description: RECORD_LICENCE_DESCRIPTION,
      resolve: async (strategy, _args, ctx) =>
        recordProvenance(strategyProvenance(strategy.source, await ctx.loaders.fieldsOfActionByDistrict.load(strategy.districtCode)))
          .licence,
    }),
    attribution: t.string({
      description: `${RECORD_ATTRIBUTION_DESCRIPTION} It names the pages of the fields of action too, from which the title and fields were read.`,
      args: {
        language: t.arg({ type: LanguageEnum, ...LANGUAGE_ARGUMENT }),
      },
      resolve: async (strategy, { language }, ctx) =>
        recordProvenance(
          strategyProvenance(strategy.source, await ctx.loaders.fieldsOfActionByDistrict.load(strategy.districtCode)),
          language,
        ).attribution,
    }),
    fieldsOfAction: t.field({
      type: [FieldOfActionType],
      description: 'Its fields of action in order.',
      resolve: (strategy, _args, ctx) => ctx.loaders.fieldsOfActionByDistrict.load(strategy.districtCode),
    }),
    office: t.field({
      type: OfficeType,
      nullable: true,
      description: 'The office that coordinates the strategy.',
      resolve: (strategy, _args, ctx) => ctx.loaders.officeByDistrict.load(strategy.districtCode),
    }),
  }),
});

builder.asEntity(StrategyType, {
  key: builder.selection<{ districtCode: string }>('districtCode'),
  resolveReference: (reference, ctx) => ctx.loaders.strategyByDistrict.load(reference.districtCode),
});

OfficeType.implement({
  description:
    'One of the four Ämter für regionale Landesentwicklung (ArL), headed by the state commissioner for regional ' +
    'development (Landesbeauftragte/r) — given as a role, not as a person.',
  fields: (t) => ({
    districtCode: t.exposeID('districtCode', { description: 'The ArL district code, 031–034.' }),
    district: t.field({
      type: RegionRef,
      description: 'The district the office is responsible for.',
      resolve: (office) => ({ code: office.districtCode }),
    }),
    name: t.exposeString('name', { description: 'Official name, e.g. "Amt für regionale Landesentwicklung Leine-Weser".' }),
    seat: t.exposeString('seat', { description: 'Seat of the office, e.g. Hildesheim for Leine-Weser.' }),
    commissionerRole: t.exposeString('commissionerRole', { description: 'The role heading the office (not a named person).' }),
    streetAddress: t.exposeString('streetAddress', {
      nullable: true,
      description: 'Street address as far as the source states it (it may lack a house number).',
    }),
    website: t.exposeString('website', { nullable: true, description: 'Website of the office.' }),
    branchOffices: t.exposeStringList('branchOffices', {
      description: 'Other locations (branch offices, Geschäftsstellen) as the source names them.',
    }),
    source: t.exposeString('source', { description: 'Where the record comes from.' }),
    ...provenanceFields(t, officeProvenance, LanguageEnum),
    strategy: t.field({
      type: StrategyType,
      nullable: true,
      description: 'The regional action strategy of the district.',
      resolve: (office, _args, ctx) => ctx.loaders.strategyByDistrict.load(office.districtCode),
    }),
  }),
});

/**
 * The district argument of office and strategy: a region-code argument, checked as every one is,
 * which answers other codes than the lookup region(code:). Aligning them would change codes clients
 * branch on, so the description says which.
 */
const DISTRICT_CODE_ARGUMENT =
  'The district code, 031–034. Checked as every argument naming regions is, not as the lookup region(code:): a code no region has ' +
  '("039") is UNKNOWN_REGION_CODES (extensions.codes), where region(code:) answers NOT_FOUND; a malformed code or an AGS is ' +
  'BAD_USER_INPUT (reason NOT_A_REGION_CODE), and a region that is no ArL district ("03", "03159") BAD_USER_INPUT naming the four.';

builder.queryFields((t) => ({
  strategies: t.field({
    type: [StrategyType],
    description: 'The regional action strategies of the four ArL districts, by district code.',
    resolve: (_root, _args, ctx) => ctx.prisma.regionalStrategy.findMany({ orderBy: { districtCode: 'asc' } }),
  }),
  strategy: t.field({
    type: StrategyType,
    nullable: true,
    description: 'The strategy of one ArL district; districtCode says how a code that is no district is refused.',
    args: { districtCode: t.arg.id({ required: true, description: DISTRICT_CODE_ARGUMENT }) },
    resolve: async (_root, args, ctx) => {
      const code = String(args.districtCode);
      assertDistrictCode(code, 'districtCode');
      const strategy = await ctx.loaders.strategyByDistrict.load(code);
      if (!strategy) throw notFound('RegionalStrategy', code);
      return strategy;
    },
  }),
  offices: t.field({
    type: [OfficeType],
    description: 'The four Ämter für regionale Landesentwicklung, by district code.',
    resolve: (_root, _args, ctx) => ctx.prisma.office.findMany({ orderBy: { districtCode: 'asc' } }),
  }),
  office: t.field({
    type: OfficeType,
    nullable: true,
    description: 'The office of one ArL district; districtCode says how a code that is no district is refused.',
    args: { districtCode: t.arg.id({ required: true, description: DISTRICT_CODE_ARGUMENT }) },
    resolve: async (_root, args, ctx) => {
      const code = String(args.districtCode);
      assertDistrictCode(code, 'districtCode');
      const office = await ctx.loaders.officeByDistrict.load(code);
      if (!office) throw notFound('Office', code);
      return office;
    },
  }),
}));
