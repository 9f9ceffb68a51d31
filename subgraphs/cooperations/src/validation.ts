import type { CooperationKind, CooperationStatus, MembershipRole } from '@regiograph/db';
import { Validator as KitValidator, type FieldError as KitFieldError, type InputErrorCode } from '@regiograph/subgraph-kit';
import type { RegionCatalogue } from './region-catalogue';

/** The input-error codes cooperation mutations emit: the write path's codes (subgraph-kit) but UNKNOWN_PROGRAMME. */
export type CooperationInputErrorCode = Exclude<InputErrorCode, 'UNKNOWN_PROGRAMME'>;

export type FieldError = KitFieldError<CooperationInputErrorCode>;

/** The same codes, with the same meanings, as the projects subgraph's input errors. */
export const FIELD_ERROR_CODES: Record<CooperationInputErrorCode, string> = {
  REQUIRED: 'A required value is missing or empty.',
  INVALID: 'The value is malformed or inconsistent (e.g. not a calendar date, a member named twice, status and dates disagree).',
  OUT_OF_RANGE: 'The value lies outside the allowed range (e.g. too long, an end before the start).',
  UNKNOWN_REGION: 'The region code is not a region of Lower Saxony.',
  NOT_FOUND: 'The record to change does not exist.',
  VERSION_CONFLICT: 'Someone else changed the cooperation since you read it: reload it and apply your change to the current version.',
  INVALID_TRANSITION: 'The record cannot change that way from its current state (e.g. ending a membership that already ended).',
  IN_USE: 'Records of another subgraph still link to the record (projects that a cooperation carries): unlink them before deleting it.',
};

/** A validator of cooperation inputs: the write path's, with this subgraph's codes. */
export type Validator = KitValidator<CooperationInputErrorCode>;

export function createValidator(): Validator {
  return new KitValidator<CooperationInputErrorCode>();
}

export const LIMITS = { name: 200, description: 5000, contact: 200, website: 500, members: 500 } as const;

export interface MembershipInput {
  regionCode: string | number;
  role?: MembershipRole | null;
  validFrom: Date;
  validUntil?: Date | null;
}

/** The writable fields of a cooperation; undefined = not given (update keeps the current value). */
export interface CooperationFieldsInput {
  name?: string | null;
  kind?: CooperationKind | null;
  description?: string | null;
  founded?: Date | null;
  dissolvedOn?: Date | null;
  status?: CooperationStatus | null;
  contact?: string | null;
  website?: string | null;
}

/** UNKNOWN_REGION unless `code` is a region of Lower Saxony. */
export function validateRegionCode(validator: Validator, field: string, code: string, catalogue: RegionCatalogue): void {
  if (!catalogue.has(code))
    validator.add(field, 'UNKNOWN_REGION', `${JSON.stringify(code)} is not the ARS code of a region of Lower Saxony.`);
}

export interface ValidMembership {
  regionCode: string;
  role: MembershipRole;
  validFrom: Date;
  validUntil: Date | null;
}

/** Validates one membership; `path` prefixes the field names (e.g. "members[0]."). */
export function validateMembership(
  validator: Validator,
  input: MembershipInput,
  path: string,
  catalogue: RegionCatalogue,
): ValidMembership | null {
  const regionCode = String(input.regionCode).trim();
  const before = validator.errors.length;
  validateRegionCode(validator, `${path}regionCode`, regionCode, catalogue);
  const validFrom = input.validFrom;
  const validUntil = input.validUntil ?? null;
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
    validator.add('dissolvedOn', 'INVALID', 'A DISSOLVED cooperation needs dissolvedOn.');
  }
  if (state.status !== 'DISSOLVED' && state.dissolvedOn) {
    validator.add('dissolvedOn', 'INVALID', `dissolvedOn is only allowed for DISSOLVED cooperations, not ${state.status}.`);
  }
  if (state.status !== 'PLANNED' && !state.founded && !validator.has('founded')) {
    validator.add('founded', 'INVALID', `A cooperation with status ${state.status} needs a founding day.`);
  }
  validator.dateOrder('dissolvedOn', state.founded, state.dissolvedOn, 'dissolvedOn must not be before founded.');
}
