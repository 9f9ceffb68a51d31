import type { CooperationKind, CooperationStatus, MembershipRole } from '@regiograph/db';
import type { RegionCatalogue } from './region-catalogue';

/** One problem with one input field; `field` is the input path, e.g. "input.members[1].regionCode". */
export interface FieldError {
  field: string;
  message: string;
  code: FieldErrorCode;
}

/** The same codes, with the same meanings, as the projects subgraph's input errors. */
export const FIELD_ERROR_CODES = {
  REQUIRED: 'A required value is missing or empty.',
  INVALID: 'The value is malformed or inconsistent (e.g. not a calendar date, a member named twice, status and dates disagree).',
  OUT_OF_RANGE: 'The value lies outside the allowed range (e.g. too long, an end before the start).',
  UNKNOWN_REGION: 'The region code is not a region of Lower Saxony.',
  NOT_FOUND: 'The record to change does not exist.',
  VERSION_CONFLICT: 'Someone else changed the cooperation since you read it: reload it and apply your change to the current version.',
  INVALID_TRANSITION: 'The record cannot change that way from its current state (e.g. ending a membership that already ended).',
} as const;
export type FieldErrorCode = keyof typeof FIELD_ERROR_CODES;

export const FieldErrorCode: { [Code in FieldErrorCode]: Code } = {
  REQUIRED: 'REQUIRED',
  INVALID: 'INVALID',
  OUT_OF_RANGE: 'OUT_OF_RANGE',
  UNKNOWN_REGION: 'UNKNOWN_REGION',
  NOT_FOUND: 'NOT_FOUND',
  VERSION_CONFLICT: 'VERSION_CONFLICT',
  INVALID_TRANSITION: 'INVALID_TRANSITION',
};

export const LIMITS = { name: 200, description: 5000, contact: 200, website: 500, members: 500 } as const;

export interface MembershipInput {
  regionCode: string | number;
  role?: MembershipRole | null;
  validFrom: string;
  validUntil?: string | null;
}

/** The writable fields of a cooperation; undefined = not given (update keeps the current value). */
export interface CooperationFieldsInput {
  name?: string | null;
  kind?: CooperationKind | null;
  description?: string | null;
  founded?: string | null;
  dissolvedOn?: string | null;
  status?: CooperationStatus | null;
  contact?: string | null;
  website?: string | null;
}

/** Collects field errors; field names are given relative to the mutation's `input` argument. */
export class Validator {
  readonly errors: FieldError[] = [];

  add(field: string, code: FieldErrorCode, message: string): void {
    this.errors.push({ field: `input.${field}`, code, message });
  }

  has(field: string): boolean {
    return this.errors.some((error) => error.field === `input.${field}`);
  }

  get ok(): boolean {
    return this.errors.length === 0;
  }

  /** A date argument, or null with an error when it is not a real calendar day. */
  date(field: string, value: string | null | undefined): Date | null {
    if (value == null) return null;
    const date = new Date(`${value}T00:00:00Z`);
    if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
      this.add(field, FieldErrorCode.INVALID, `${JSON.stringify(value)} is not a calendar date (YYYY-MM-DD).`);
      return null;
    }
    return date;
  }

  text(field: string, value: string | null | undefined, options: { required: boolean; max: number }): string | null | undefined {
    if (value === undefined) return undefined;
    const trimmed = value?.trim() ?? '';
    if (trimmed === '') {
      if (options.required) this.add(field, FieldErrorCode.REQUIRED, 'must not be empty.');
      return null;
    }
    if (trimmed.length > options.max) this.add(field, FieldErrorCode.OUT_OF_RANGE, `must be at most ${options.max} characters.`);
    return trimmed;
  }

  url(field: string, value: string | null | undefined): string | null | undefined {
    const text = this.text(field, value, { required: false, max: LIMITS.website });
    if (!text) return text;
    try {
      const url = new URL(text);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
    } catch {
      this.add(field, FieldErrorCode.INVALID, 'must be an http(s) URL.');
    }
    return text;
  }

  dateOrder(field: string, from: Date | null, until: Date | null, message: string): void {
    if (from && until && until < from) this.add(field, FieldErrorCode.OUT_OF_RANGE, message);
  }

  regionCode(field: string, code: string, catalogue: RegionCatalogue): void {
    if (!catalogue.has(code)) this.add(field, FieldErrorCode.UNKNOWN_REGION, `${JSON.stringify(code)} is not the ARS code of a region of Lower Saxony.`);
  }
}

export interface ValidMembership {
  regionCode: string;
  role: MembershipRole;
  validFrom: Date;
  validUntil: Date | null;
}

/** Validates one membership; `path` prefixes the field names (e.g. "members[0]."). */
export function validateMembership(validator: Validator, input: MembershipInput, path: string, catalogue: RegionCatalogue): ValidMembership | null {
  const regionCode = String(input.regionCode).trim();
  const before = validator.errors.length;
  validator.regionCode(`${path}regionCode`, regionCode, catalogue);
  const validFrom = validator.date(`${path}validFrom`, input.validFrom);
  const validUntil = validator.date(`${path}validUntil`, input.validUntil);
  validator.dateOrder(`${path}validUntil`, validFrom, validUntil, 'validUntil must not be before validFrom.');
  if (validator.errors.length > before || !validFrom) return null;
  return { regionCode, role: input.role ?? 'MEMBER', validFrom, validUntil };
}

/** Two periods of the same region overlap (inclusive ends, open end = forever). */
export function periodsOverlap(a: { validFrom: Date; validUntil: Date | null }, b: { validFrom: Date; validUntil: Date | null }): boolean {
  return (a.validUntil === null || a.validUntil >= b.validFrom) && (b.validUntil === null || b.validUntil >= a.validFrom);
}

/**
 * Status and dates must agree: a dissolved cooperation has a dissolvedOn day (not before its founding),
 * other statuses have none, and an active or dissolved one has a founding day.
 */
export function validateLifecycle(
  validator: Validator,
  state: { status: CooperationStatus; founded: Date | null; dissolvedOn: Date | null },
): void {
  // A date already refused as malformed is not reported a second time as missing.
  if (state.status === 'DISSOLVED' && !state.dissolvedOn && !validator.has('dissolvedOn')) {
    validator.add('dissolvedOn', FieldErrorCode.INVALID, 'A DISSOLVED cooperation needs dissolvedOn.');
  }
  if (state.status !== 'DISSOLVED' && state.dissolvedOn) {
    validator.add('dissolvedOn', FieldErrorCode.INVALID, `dissolvedOn is only allowed for DISSOLVED cooperations, not ${state.status}.`);
  }
  if (state.status !== 'PLANNED' && !state.founded && !validator.has('founded')) {
    validator.add('founded', FieldErrorCode.INVALID, `A cooperation with status ${state.status} needs a founding day.`);
  }
  validator.dateOrder('dissolvedOn', state.founded, state.dissolvedOn, 'dissolvedOn must not be before founded.');
}
