import type { ProjectRegionRole, ProjectTopic } from '@regiograph/db';
import type { RegionCatalogue } from './region-catalogue';

/** Why an input field was refused; clients can branch on it. */
export type InputErrorCode =
  | 'REQUIRED'
  | 'INVALID'
  | 'OUT_OF_RANGE'
  | 'UNKNOWN_REGION'
  | 'UNKNOWN_PROGRAMME'
  | 'NOT_FOUND'
  | 'VERSION_CONFLICT'
  | 'INVALID_TRANSITION';

export interface FieldError {
  /** Path of the input field, e.g. "input.endDate" or "input.regions[1].regionCode". */
  field: string;
  message: string;
  code: InputErrorCode;
}

export const LIMITS = {
  title: 300,
  summary: 5000,
  finding: 2000,
  documentTitle: 300,
  url: 2000,
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

/** The editable fields of a project after merging an update into the stored values. */
export interface ProjectDraft {
  title: string;
  summary: string;
  topics: ProjectTopic[];
  startDate: string;
  endDate: string | null;
  regions: RegionInput[] | null;
  cooperationId: string | null;
  findings: FindingInput[] | null;
  documents: DocumentInput[] | null;
  indicatorCodes: string[] | null;
}

export function parseDate(value: string): Date | null {
  const date = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value ? null : date;
}

function text(errors: FieldError[], field: string, value: string, limit: number): void {
  if (value.trim() === '') errors.push({ field, message: 'must not be empty', code: 'REQUIRED' });
  else if (value.length > limit) errors.push({ field, message: `must be at most ${limit} characters`, code: 'OUT_OF_RANGE' });
}

function date(errors: FieldError[], field: string, value: string): Date | null {
  const parsed = parseDate(value);
  if (!parsed) {
    errors.push({ field, message: `${JSON.stringify(value)} is not a calendar date`, code: 'INVALID' });
    return null;
  }
  const year = parsed.getUTCFullYear();
  if (year < LIMITS.minYear || year > LIMITS.maxYear) {
    errors.push({ field, message: `must lie between ${LIMITS.minYear} and ${LIMITS.maxYear}`, code: 'OUT_OF_RANGE' });
    return null;
  }
  return parsed;
}

/** Field-level checks of a project (the whole draft, so an update cannot create an inconsistent record). */
export function validateProject(draft: ProjectDraft, catalogue: RegionCatalogue, prefix = 'input'): FieldError[] {
  const errors: FieldError[] = [];
  text(errors, `${prefix}.title`, draft.title, LIMITS.title);
  text(errors, `${prefix}.summary`, draft.summary, LIMITS.summary);
  if (draft.topics.length === 0) errors.push({ field: `${prefix}.topics`, message: 'must name at least one topic', code: 'REQUIRED' });
  else if (new Set(draft.topics).size !== draft.topics.length) errors.push({ field: `${prefix}.topics`, message: 'must not repeat a topic', code: 'INVALID' });
  const start = date(errors, `${prefix}.startDate`, draft.startDate);
  const end = draft.endDate === null ? null : date(errors, `${prefix}.endDate`, draft.endDate);
  if (start && end && end < start) errors.push({ field: `${prefix}.endDate`, message: 'must not be before startDate', code: 'OUT_OF_RANGE' });
  if (draft.regions) {
    if (draft.regions.length === 0) errors.push({ field: `${prefix}.regions`, message: 'must name at least the lead region', code: 'REQUIRED' });
    const seen = new Set<string>();
    draft.regions.forEach((region, index) => {
      const field = `${prefix}.regions[${index}].regionCode`;
      const known = catalogue.get(region.regionCode);
      if (!known) errors.push({ field, message: `${JSON.stringify(region.regionCode)} is not a region of Lower Saxony`, code: 'UNKNOWN_REGION' });
      else if (known.level === 'STATE') errors.push({ field, message: 'the state as a whole cannot take part; name districts, counties or municipalities', code: 'INVALID' });
      if (seen.has(region.regionCode)) errors.push({ field, message: 'names a region twice', code: 'INVALID' });
      seen.add(region.regionCode);
    });
    const leads = draft.regions.filter((region) => region.role === 'LEAD').length;
    if (draft.regions.length > 0 && leads !== 1) {
      errors.push({ field: `${prefix}.regions`, message: `must name exactly one LEAD region (found ${leads})`, code: 'INVALID' });
    }
  }
  if (draft.cooperationId !== null && !/^[A-Za-z0-9._-]{1,64}$/.test(draft.cooperationId)) {
    errors.push({ field: `${prefix}.cooperationId`, message: 'is not a cooperation id', code: 'INVALID' });
  }
  draft.findings?.forEach((finding, index) => text(errors, `${prefix}.findings[${index}].text`, finding.text, LIMITS.finding));
  draft.documents?.forEach((document, index) => {
    text(errors, `${prefix}.documents[${index}].title`, document.title, LIMITS.documentTitle);
    if (!isHttpUrl(document.url) || document.url.length > LIMITS.url) {
      errors.push({ field: `${prefix}.documents[${index}].url`, message: 'must be an http(s) URL', code: 'INVALID' });
    }
  });
  draft.indicatorCodes?.forEach((code, index) => {
    if (!/^[a-z][a-z0-9_]{0,63}$/.test(code)) {
      errors.push({ field: `${prefix}.indicatorCodes[${index}]`, message: `${JSON.stringify(code)} is not an indicator code`, code: 'INVALID' });
    }
  });
  return errors;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

export interface FundingDraft {
  programmeCode: string;
  amountCents: bigint;
  coFinancingShare: number;
  commitmentYear: number;
}

/** Field-level checks of a funding commitment; `programmeKnown` comes from the database. */
export function validateFunding(draft: FundingDraft, programmeKnown: boolean, prefix = 'input'): FieldError[] {
  const errors: FieldError[] = [];
  if (!programmeKnown) {
    errors.push({ field: `${prefix}.programmeCode`, message: `${JSON.stringify(draft.programmeCode)} is not a funding programme`, code: 'UNKNOWN_PROGRAMME' });
  }
  if (draft.amountCents < 0n) errors.push({ field: `${prefix}.amountCents`, message: 'must not be negative', code: 'OUT_OF_RANGE' });
  else if (draft.amountCents > LIMITS.amountCents) errors.push({ field: `${prefix}.amountCents`, message: `must be at most ${LIMITS.amountCents} cents`, code: 'OUT_OF_RANGE' });
  if (!Number.isFinite(draft.coFinancingShare) || draft.coFinancingShare < 0 || draft.coFinancingShare > 1) {
    errors.push({ field: `${prefix}.coFinancingShare`, message: 'must be a share between 0 and 1', code: 'OUT_OF_RANGE' });
  } else if (Math.abs(draft.coFinancingShare * 10_000 - Math.round(draft.coFinancingShare * 10_000)) > 1e-6) {
    errors.push({ field: `${prefix}.coFinancingShare`, message: 'has at most four decimals (e.g. 0.6, 0.8125)', code: 'INVALID' });
  }
  if (!Number.isInteger(draft.commitmentYear) || draft.commitmentYear < LIMITS.minYear || draft.commitmentYear > LIMITS.maxYear) {
    errors.push({ field: `${prefix}.commitmentYear`, message: `must be a year between ${LIMITS.minYear} and ${LIMITS.maxYear}`, code: 'OUT_OF_RANGE' });
  }
  return errors;
}

/** Status changes a project may make: forward through its life, or cancelled before completion. */
export const ALLOWED_TRANSITIONS: Record<string, readonly string[]> = {
  PLANNED: ['RUNNING', 'CANCELLED'],
  RUNNING: ['COMPLETED', 'CANCELLED'],
  COMPLETED: [],
  CANCELLED: [],
};
