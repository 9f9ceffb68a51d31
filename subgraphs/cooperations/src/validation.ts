import type { CooperationKind, CooperationStatus, MembershipRole } from '@regiograph/db';
import type { RegionCatalogue } from './region-catalogue';

/** One problem with one input field; `field` is the input path, e.g. "members[1].regionCode". */
export interface FieldError {
  field: string;
  message: string;
  code: FieldErrorCode;
}

export const FieldErrorCode = {
  Required: 'REQUIRED',
  TooLong: 'TOO_LONG',
  InvalidDate: 'INVALID_DATE',
  DateOrder: 'DATE_ORDER',
  UnknownRegionCode: 'UNKNOWN_REGION_CODE',
  DuplicateMember: 'DUPLICATE_MEMBER',
  InvalidUrl: 'INVALID_URL',
  StatusMismatch: 'STATUS_MISMATCH',
  AlreadyEnded: 'ALREADY_ENDED',
} as const;
export type FieldErrorCode = (typeof FieldErrorCode)[keyof typeof FieldErrorCode];

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

export class Validator {
  readonly errors: FieldError[] = [];

  add(field: string, code: FieldErrorCode, message: string): void {
    this.errors.push({ field, code, message });
  }

  get ok(): boolean {
    return this.errors.length === 0;
  }

  /** A date argument, or null with an error when it is not a real calendar day. */
  date(field: string, value: string | null | undefined): Date | null {
    if (value == null) return null;
    const date = new Date(`${value}T00:00:00Z`);
    if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
      this.add(field, FieldErrorCode.InvalidDate, `${JSON.stringify(value)} is not a calendar date (YYYY-MM-DD).`);
      return null;
    }
    return date;
  }

  text(field: string, value: string | null | undefined, options: { required: boolean; max: number }): string | null | undefined {
    if (value === undefined) return undefined;
    const trimmed = value?.trim() ?? '';
    if (trimmed === '') {
      if (options.required) this.add(field, FieldErrorCode.Required, `${field} must not be empty.`);
      return null;
    }
    if (trimmed.length > options.max) this.add(field, FieldErrorCode.TooLong, `${field} is limited to ${options.max} characters.`);
    return trimmed;
  }

  url(field: string, value: string | null | undefined): string | null | undefined {
    const text = this.text(field, value, { required: false, max: LIMITS.website });
    if (!text) return text;
    try {
      const url = new URL(text);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
    } catch {
      this.add(field, FieldErrorCode.InvalidUrl, `${field} must be an http(s) URL.`);
    }
    return text;
  }

  dateOrder(field: string, from: Date | null, until: Date | null, message: string): void {
    if (from && until && until < from) this.add(field, FieldErrorCode.DateOrder, message);
  }

  regionCode(field: string, code: string, catalogue: RegionCatalogue): void {
    if (!catalogue.has(code)) this.add(field, FieldErrorCode.UnknownRegionCode, `${JSON.stringify(code)} is not the ARS code of a region of Lower Saxony.`);
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
  const refused = new Set(validator.errors.map((error) => error.field));
  if (state.status === 'DISSOLVED' && !state.dissolvedOn && !refused.has('dissolvedOn')) {
    validator.add('dissolvedOn', FieldErrorCode.StatusMismatch, 'A DISSOLVED cooperation needs dissolvedOn.');
  }
  if (state.status !== 'DISSOLVED' && state.dissolvedOn) {
    validator.add('dissolvedOn', FieldErrorCode.StatusMismatch, `dissolvedOn is only allowed for DISSOLVED cooperations, not ${state.status}.`);
  }
  if (state.status !== 'PLANNED' && !state.founded && !refused.has('founded')) {
    validator.add('founded', FieldErrorCode.StatusMismatch, `A cooperation with status ${state.status} needs a founding day.`);
  }
  validator.dateOrder('dissolvedOn', state.founded, state.dissolvedOn, 'dissolvedOn must not be before founded.');
}
