import type { ProjectRegionRole, ProjectTopic } from '@regiograph/db';
import { formatCalendarDate } from '@regiograph/shared';
import {
  characterCount,
  checkRegionCode,
  Validator,
  type FieldError as KitFieldError,
  type InputErrorCode,
} from '@regiograph/subgraph-kit';
import type { RegionCatalogue } from './region-catalogue';

/**
 * The input-error codes project mutations emit: the write path's codes (subgraph-kit) but IN_USE,
 * since no other subgraph links to a project.
 */
export type ProjectInputErrorCode = Exclude<InputErrorCode, 'IN_USE'>;

export type FieldError = KitFieldError<ProjectInputErrorCode>;

export const LIMITS = {
  title: 300,
  summary: 5000,
  finding: 2000,
  documentTitle: 300,
  url: 2000,
  /**
   * Where a record comes from: a citation or a link, so as long as a document URL may be; without
   * a bound one write could store a text of any size the request limit lets through.
   */
  source: 2000,
  /**
   * Items per list. The catalogue holds 128 indicators and the seeded projects name at most a few
   * of each; without a bound one write could attach thousands, which every list of projects would
   * then carry (a list of scalars costs nothing in the cost analysis).
   */
  findings: 50,
  documents: 50,
  indicatorCodes: 50,
  /** 100 billion euros: far above any real commitment, low enough to catch a misplaced unit. */
  amountCents: 10_000_000_000_000n,
  minYear: 1990,
  maxYear: 2100,
} as const;

export interface RegionInput {
  regionCode: string;
  role: ProjectRegionRole;
}

export interface FindingInput {
  text: string;
  topic: ProjectTopic;
}

export interface DocumentInput {
  title: string;
  url: string;
}

/** The label every synthetic project's title ends in (README, "Data"). */
export const SYNTHETIC_LABEL = '(synthetic)';

/**
 * A title as stored: trimmed, and for a synthetic project ending in its label, appended once when
 * an edit leaves it out, so that no reader takes generated data for a real project by its title.
 */
export function storedTitle(title: string, synthetic: boolean): string {
  const trimmed = title.trim();
  return !synthetic || trimmed.endsWith(SYNTHETIC_LABEL) ? trimmed : `${trimmed} ${SYNTHETIC_LABEL}`;
}

/** The editable fields of a project after merging an update into the stored values. */
export interface ProjectDraft {
  title: string;
  /** True for a synthetic project: its title keeps SYNTHETIC_LABEL (storedTitle). */
  synthetic?: boolean;
  summary: string;
  topics: ProjectTopic[];
  startDate: Date;
  endDate: Date | null;
  regions: RegionInput[] | null;
  cooperationId: string | null;
  findings: FindingInput[] | null;
  documents: DocumentInput[] | null;
  indicatorCodes: string[] | null;
}

/**
 * Field-level checks of a project (the whole draft, so an update cannot create an inconsistent record).
 * `keptRegionCodes` are the stored regions of an update that moves the start day but names no
 * regions: each must exist on the new start day too.
 */
export function validateProject(
  draft: ProjectDraft,
  catalogue: RegionCatalogue,
  prefix = 'input',
  keptRegionCodes: readonly string[] = [],
): FieldError[] {
  const v = new Validator<ProjectInputErrorCode>(`${prefix}.`);
  const title = v.text('title', draft.title, { required: true, max: LIMITS.title });
  if (title && !v.has('title') && characterCount(storedTitle(title, draft.synthetic ?? false)) > LIMITS.title) {
    const room = LIMITS.title - characterCount(` ${SYNTHETIC_LABEL}`);
    v.add(
      'title',
      'OUT_OF_RANGE',
      `must be at most ${room} characters: a synthetic project's title keeps its label " ${SYNTHETIC_LABEL}", which counts within the ${LIMITS.title}.`,
    );
  }
  v.text('summary', draft.summary, { required: true, max: LIMITS.summary });
  if (draft.topics.length === 0) v.add('topics', 'REQUIRED', 'must name at least one topic');
  else if (new Set(draft.topics).size !== draft.topics.length) v.add('topics', 'INVALID', 'must not repeat a topic');
  const start = v.yearRange('startDate', draft.startDate, LIMITS.minYear, LIMITS.maxYear);
  const end = v.yearRange('endDate', draft.endDate, LIMITS.minYear, LIMITS.maxYear);
  v.dateOrder('endDate', start, end, 'must not be before startDate');
  if (draft.regions) {
    if (draft.regions.length === 0) v.add('regions', 'REQUIRED', 'must name at least the lead region');
    const seen = new Set<string>();
    draft.regions.forEach((region, index) => {
      const field = `regions[${index}].regionCode`;
      const known = checkRegionCode(v, field, region.regionCode, catalogue);
      if (known?.level === 'STATE')
        v.add(field, 'INVALID', 'the state as a whole cannot take part; name districts, counties or municipalities');
      if (seen.has(region.regionCode)) v.add(field, 'INVALID', 'names a region twice');
      seen.add(region.regionCode);
    });
    const leads = draft.regions.filter((region) => region.role === 'LEAD').length;
    if (draft.regions.length > 0 && leads !== 1) v.add('regions', 'INVALID', `must name exactly one LEAD region (found ${leads})`);
  }
  // A region takes part from the project's start, so its key must exist by then (Landkreis
  // Göttingen 03159 only since 01.11.2016), as for a cooperation's members.
  if (start) {
    const startingOn = `the project's start (${formatCalendarDate(start)})`;
    draft.regions?.forEach((region, index) => {
      const keyMissing = catalogue.keyMissingOn(region.regionCode, start, startingOn);
      if (keyMissing) v.add(`regions[${index}].regionCode`, 'OUT_OF_RANGE', keyMissing);
    });
    for (const code of keptRegionCodes) {
      const keyMissing = catalogue.keyMissingOn(code, start);
      if (keyMissing) v.add('startDate', 'OUT_OF_RANGE', keyMissing);
    }
  }
  if (draft.cooperationId !== null && !/^[A-Za-z0-9._-]{1,64}$/.test(draft.cooperationId))
    v.add('cooperationId', 'INVALID', 'is not a cooperation id');
  // A list over its bound is refused as a whole; its items are checked once it fits.
  const fits = (list: 'findings' | 'documents' | 'indicatorCodes'): boolean => {
    const items = draft[list]?.length ?? 0;
    if (items <= LIMITS[list]) return true;
    v.add(list, 'OUT_OF_RANGE', `must name at most ${LIMITS[list]} (found ${items})`);
    return false;
  };
  if (fits('findings'))
    draft.findings?.forEach((finding, index) => v.text(`findings[${index}].text`, finding.text, { required: true, max: LIMITS.finding }));
  if (fits('documents'))
    draft.documents?.forEach((document, index) => {
      v.text(`documents[${index}].title`, document.title, { required: true, max: LIMITS.documentTitle });
      v.url(`documents[${index}].url`, document.url, LIMITS.url, { required: true });
    });
  if (fits('indicatorCodes')) {
    // Refused like a repeated region or topic: merging it silently would store less than was sent.
    const seen = new Set<string>();
    draft.indicatorCodes?.forEach((code, index) => {
      if (!/^[a-z][a-z0-9_]{0,63}$/.test(code))
        v.add(`indicatorCodes[${index}]`, 'INVALID', `${JSON.stringify(code)} is not an indicator code`);
      else if (seen.has(code)) v.add(`indicatorCodes[${index}]`, 'INVALID', `names ${JSON.stringify(code)} twice`);
      seen.add(code);
    });
  }
  return v.errors;
}

/** The `source` of a new project: omitted or null, the editor's account stands in; given, it must say something. */
export function validateSource(source: string | null | undefined, prefix = 'input'): FieldError[] {
  const v = new Validator<ProjectInputErrorCode>(`${prefix}.`);
  v.text('source', source ?? undefined, { required: true, max: LIMITS.source });
  return v.errors;
}

export interface FundingDraft {
  programmeCode: string;
  amountCents: bigint;
  coFinancingShare: number;
  commitmentYear: number;
}

/** Field-level checks of a funding commitment; `programmeKnown` comes from the database. */
export function validateFunding(draft: FundingDraft, programmeKnown: boolean, prefix = 'input'): FieldError[] {
  const v = new Validator<ProjectInputErrorCode>(`${prefix}.`);
  if (!programmeKnown) v.add('programmeCode', 'UNKNOWN_PROGRAMME', `${JSON.stringify(draft.programmeCode)} is not a funding programme`);
  if (draft.amountCents < 0n) v.add('amountCents', 'OUT_OF_RANGE', 'must not be negative');
  else if (draft.amountCents > LIMITS.amountCents) v.add('amountCents', 'OUT_OF_RANGE', `must be at most ${LIMITS.amountCents} cents`);
  if (!Number.isFinite(draft.coFinancingShare) || draft.coFinancingShare < 0 || draft.coFinancingShare > 1) {
    v.add('coFinancingShare', 'OUT_OF_RANGE', 'must be a share between 0 and 1');
  } else if (Math.abs(draft.coFinancingShare * 10_000 - Math.round(draft.coFinancingShare * 10_000)) > 1e-6) {
    v.add('coFinancingShare', 'INVALID', 'has at most four decimals (e.g. 0.6, 0.8125)');
  }
  if (!Number.isInteger(draft.commitmentYear) || draft.commitmentYear < LIMITS.minYear || draft.commitmentYear > LIMITS.maxYear) {
    v.add('commitmentYear', 'OUT_OF_RANGE', `must be a year between ${LIMITS.minYear} and ${LIMITS.maxYear}`);
  }
  return v.errors;
}

/** Status changes a project may make: forward through its life, or cancelled before completion. */
export const ALLOWED_TRANSITIONS: Record<string, readonly string[]> = {
  PLANNED: ['RUNNING', 'CANCELLED'],
  RUNNING: ['COMPLETED', 'CANCELLED'],
  COMPLETED: [],
  CANCELLED: [],
};
