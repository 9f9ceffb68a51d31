import type { CooperationKind, CooperationStatus, MembershipRole } from '@regiograph/db';
import {
  checkRegionCode,
  namedKeys,
  regionCodeOfInput,
  Validator as KitValidator,
  type FieldError as KitFieldError,
  type InputErrorCode,
} from '@regiograph/subgraph-kit';
import { formatCalendarDate } from '@regiograph/shared';
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

/**
 * The years a day of a cooperation or membership may lie in. Lower Saxony was founded in 1946, so no
 * cooperation of its regions is older; the seeded real records start in 1991 (Metropolregion
 * Hamburg), but their sources name earlier beginnings an editor may enter (its cooperation began in
 * 1955), so the projects' lower bound of 1990 would refuse facts. 2100 as for projects.
 */
export const YEARS = { min: 1946, max: 2100 } as const;

/** A day given as input: OUT_OF_RANGE outside YEARS (then null, so later checks skip it). */
export function validateDay(validator: Validator, field: string, day: Date | null | undefined): Date | null {
  return validator.yearRange(field, day ?? null, YEARS.min, YEARS.max);
}

/** The days of a cooperation the membership rules read. */
export interface CooperationDays {
  status: CooperationStatus;
  founded: Date | null;
  dissolvedOn: Date | null;
}

/** The days of a membership. */
export interface MembershipDays {
  validFrom: Date;
  validUntil: Date | null;
}

/*
 * The membership rules, one copy for every write (create, update, addMembership, endMembership): a
 * membership lies within its cooperation's life. It starts neither before the founding day nor after
 * the last day (dissolvedOn), and ends by the last day. Days a caller gives that break this are
 * refused; a dissolution ends the memberships still running on its last day (an open one, or one
 * ending later), since a region cannot stay a member of a cooperation that no longer exists, and an
 * open membership added to a dissolved cooperation ends on its last day too.
 */

/** Which end of the cooperation's life a membership starting on `validFrom` lies beyond, or null. */
export function startOutsideLife(cooperation: CooperationDays, validFrom: Date): 'founded' | 'dissolvedOn' | null {
  if (cooperation.founded && validFrom < cooperation.founded) return 'founded';
  if (cooperation.dissolvedOn && validFrom > cooperation.dissolvedOn) return 'dissolvedOn';
  return null;
}

/** Whether a stated last day of a membership lies after the cooperation's last day. */
export function endsAfterLife(cooperation: CooperationDays, validUntil: Date | null): boolean {
  return cooperation.dissolvedOn !== null && validUntil !== null && validUntil > cooperation.dissolvedOn;
}

/** The last day of a membership once its cooperation's dissolution is applied: dissolvedOn for one still running then. */
export function endOnDissolution(cooperation: CooperationDays, validUntil: Date | null): Date | null {
  if (cooperation.dissolvedOn === null) return validUntil;
  return validUntil === null || validUntil > cooperation.dissolvedOn ? cooperation.dissolvedOn : validUntil;
}

/** OUT_OF_RANGE at `field` when a membership starting on `validFrom` lies outside the cooperation's life. */
export function validateStart(validator: Validator, field: string, cooperation: CooperationDays, validFrom: Date): void {
  const outside = startOutsideLife(cooperation, validFrom);
  if (outside === 'founded') {
    validator.add(
      field,
      'OUT_OF_RANGE',
      `must not be before the cooperation's founding day (${formatCalendarDate(cooperation.founded!)}).`,
    );
  } else if (outside === 'dissolvedOn') {
    validator.add(
      field,
      'OUT_OF_RANGE',
      `must not be after the cooperation's last day, dissolvedOn (${formatCalendarDate(cooperation.dissolvedOn!)}).`,
    );
  }
}

/** OUT_OF_RANGE at `field` when a stated last day of a membership lies after the cooperation's last day. */
export function validateEnd(validator: Validator, field: string, cooperation: CooperationDays, validUntil: Date | null): void {
  if (endsAfterLife(cooperation, validUntil)) {
    validator.add(
      field,
      'OUT_OF_RANGE',
      `must not be after the cooperation's last day, dissolvedOn (${formatCalendarDate(cooperation.dissolvedOn!)}).`,
    );
  }
}

export interface ValidMembership {
  regionCode: string;
  role: MembershipRole;
  validFrom: Date;
  validUntil: Date | null;
}

/**
 * Validates one new membership of a cooperation with the given days; `path` prefixes the field names
 * (e.g. "members[0]."). An open membership of a dissolved cooperation comes back ending on its last day.
 */
export function validateMembership(
  validator: Validator,
  input: MembershipInput,
  path: string,
  catalogue: RegionCatalogue,
  cooperation: CooperationDays,
): ValidMembership | null {
  const regionCode = regionCodeOfInput(input.regionCode);
  const before = validator.errors.length;
  checkRegionCode(validator, `${path}regionCode`, regionCode, catalogue);
  const validFrom = validateDay(validator, `${path}validFrom`, input.validFrom);
  const validUntil = validateDay(validator, `${path}validUntil`, input.validUntil);
  validator.dateOrder(`${path}validUntil`, validFrom, validUntil, 'validUntil must not be before validFrom.');
  if (validator.errors.length > before || !validFrom) return null;
  validateStart(validator, `${path}validFrom`, cooperation, validFrom);
  validateEnd(validator, `${path}validUntil`, cooperation, validUntil);
  // A region cannot be a member before its key existed (Landkreis Göttingen 03159 only since 01.11.2016).
  const keyMissing = catalogue.keyMissingOn(regionCode, validFrom);
  if (keyMissing) validator.add(`${path}validFrom`, 'OUT_OF_RANGE', keyMissing);
  if (validator.errors.length > before) return null;
  return { regionCode, role: input.role ?? 'MEMBER', validFrom, validUntil: endOnDissolution(cooperation, validUntil) };
}

/** Two periods of the same region overlap (inclusive ends, open end = forever). */
export function periodsOverlap(a: { validFrom: Date; validUntil: Date | null }, b: { validFrom: Date; validUntil: Date | null }): boolean {
  return (a.validUntil === null || a.validUntil >= b.validFrom) && (b.validUntil === null || b.validUntil >= a.validFrom);
}

/**
 * Status and dates must agree: a dissolved cooperation has a dissolvedOn day (not before its founding),
 * other statuses have none, an active or dissolved one has a founding day (unless `foundingUnknown`:
 * an existing record already without one, left so), and a planned one none yet.
 */
export function validateLifecycle(validator: Validator, state: CooperationDays, options: { foundingUnknown?: boolean } = {}): void {
  // A date already refused as malformed is not reported a second time as missing.
  if (state.status === 'DISSOLVED' && !state.dissolvedOn && !validator.has('dissolvedOn')) {
    validator.add('dissolvedOn', 'INVALID', 'A DISSOLVED cooperation needs dissolvedOn.');
  }
  if (state.status !== 'DISSOLVED' && state.dissolvedOn) {
    validator.add('dissolvedOn', 'INVALID', `dissolvedOn is only allowed for DISSOLVED cooperations, not ${state.status}.`);
  }
  // A stored record whose founding day the sources do not give keeps it unknown: an editor changing
  // its other fields must not have to invent one (README, "never filled in").
  if (state.status !== 'PLANNED' && !state.founded && !options.foundingUnknown && !validator.has('founded')) {
    validator.add('founded', 'INVALID', `A cooperation with status ${state.status} needs a founding day.`);
  }
  if (state.status === 'PLANNED' && state.founded) {
    validator.add('founded', 'INVALID', 'A PLANNED cooperation has no founding day yet: give it with status ACTIVE once it is founded.');
  }
  validator.dateOrder('dissolvedOn', state.founded, state.dissolvedOn, 'dissolvedOn must not be before founded.');
}

/**
 * The cooperation's days as far as they passed their own checks: the membership rules compare with
 * those only, so a refused founding or last day is not reported again at every member.
 */
export function checkedDays(validator: Validator, state: CooperationDays): CooperationDays {
  return {
    status: state.status,
    founded: validator.has('founded') ? null : state.founded,
    dissolvedOn: validator.has('dissolvedOn') ? null : state.dissolvedOn,
  };
}

/**
 * Whether a new founding day moves later than the stored one, a first one included (a founding day
 * the record did not have held nothing back): only then may it contradict a project the
 * cooperation carries, which starts no earlier than its founding (the projects subgraph's rule).
 */
export function foundingMovesLater(stored: Date | null, founded: Date | null): founded is Date {
  return founded !== null && (stored === null || founded > stored);
}

/**
 * OUT_OF_RANGE at `founded`, naming the projects the cooperation carries that start before the new
 * founding day (`carried`, as the projects subgraph answered).
 */
export function carriedProjectsBefore(founded: Date, carried: readonly string[]): FieldError {
  return {
    field: 'input.founded',
    code: 'OUT_OF_RANGE',
    message:
      `must not be after the start of the ${carried.length} project(s) the cooperation carries that start before ` +
      `${formatCalendarDate(founded)} (${namedKeys(carried)}): no carried project starts before the founding. ` +
      'Move their start, or unlink them (updateProject), first.',
  };
}

/**
 * The membership rules for new cooperation days against the stored memberships (updateCooperation):
 * OUT_OF_RANGE at `founded` when a membership starts before it, at `dissolvedOn` when one starts
 * after it, each naming the membership farthest out. Returns the ids of the memberships the
 * dissolution ends: they are to end on dissolvedOn.
 */
export function validateDaysAgainstMemberships(
  validator: Validator,
  cooperation: CooperationDays,
  memberships: readonly (MembershipDays & { id: string })[],
): string[] {
  const outside = (end: 'founded' | 'dissolvedOn') => memberships.filter((m) => startOutsideLife(cooperation, m.validFrom) === end);
  const earliest = outside('founded').sort((a, b) => a.validFrom.getTime() - b.validFrom.getTime())[0];
  if (earliest) {
    validator.add(
      'founded',
      'OUT_OF_RANGE',
      `must not be after the first day of membership ${earliest.id} (${formatCalendarDate(earliest.validFrom)}): no member joins before the founding.`,
    );
  }
  const latest = outside('dissolvedOn').sort((a, b) => b.validFrom.getTime() - a.validFrom.getTime())[0];
  if (latest) {
    validator.add(
      'dissolvedOn',
      'OUT_OF_RANGE',
      `must not be before the first day of membership ${latest.id} (${formatCalendarDate(latest.validFrom)}): no member joins a dissolved cooperation.`,
    );
  }
  return memberships
    .filter((membership) => {
      const validUntil = endOnDissolution(cooperation, membership.validUntil);
      return validUntil !== null && (membership.validUntil === null || validUntil.getTime() !== membership.validUntil.getTime());
    })
    .map((membership) => membership.id);
}
