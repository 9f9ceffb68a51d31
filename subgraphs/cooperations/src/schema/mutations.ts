import type { CooperationKind, CooperationStatus, MembershipRole, Prisma } from '@regiograph/db';
import { districtCodeOf, foldGermanText, formatCalendarDate, SCOPES } from '@regiograph/shared';
import {
  authorizeWrite,
  bumpVersion,
  defineInputErrorType,
  deleteVersioned,
  IDEMPOTENCY_KEY_DESCRIPTION,
  inUse,
  isRefused,
  nextRecordKey,
  notFound,
  refusable,
  replayIdempotent,
  retryStaleReads,
  writeOptions,
  writeTransaction,
  type WriteOptions,
} from '@regiograph/subgraph-kit';
import { COOPERATION_FEED } from '../change-feed';
import { builder } from '../builder';
import type { CooperationRow, CooperationsContext, MembershipRow } from '../context';
import { codePrefixes, regionCatalogue } from '../region-catalogue';
import {
  carriedProjectsBefore,
  checkedDays,
  type CooperationFieldsInput,
  createValidator,
  FIELD_ERROR_CODES,
  foundingMovesLater,
  type CooperationInputErrorCode,
  type FieldError,
  LIMITS,
  type MembershipInput,
  periodsOverlap,
  type ValidMembership,
  validateDay,
  validateDaysAgainstMemberships,
  validateEnd,
  validateLifecycle,
  validateMembership,
  YEARS,
} from '../validation';
import { CooperationKindEnum, CooperationStatusEnum, MembershipRoleEnum } from './common';
import { MANUAL_SOURCE } from './provenance';
import { CooperationType, MembershipType } from './refs';

export const WRITE_SCOPE = SCOPES.cooperationsWrite;

const FieldErrorType = defineInputErrorType(builder, {
  enumName: 'CooperationInputErrorCode',
  enumDescription:
    'Why an input of a cooperation mutation was refused: the codes of ProjectInputErrorCode, with the same meanings, without UNKNOWN_PROGRAMME and with IN_USE.',
  codes: FIELD_ERROR_CODES,
  typeName: 'CooperationInputError',
  typeDescription: 'A refused input field: which one, why, and a code to branch on. Nothing is written when a payload has errors.',
  fieldDescription: 'Path of the input field, e.g. "input.name" or "input.members[1].regionCode".',
});

interface CooperationPayloadShape {
  cooperation: CooperationRow | null;
  errors: FieldError[];
}

interface MembershipPayloadShape extends CooperationPayloadShape {
  membership: MembershipRow | null;
}

const CooperationPayload = builder.objectRef<CooperationPayloadShape>('CooperationPayload').implement({
  description:
    'The result of writing a cooperation: the cooperation as stored, or the input errors that prevented the write (then nothing ' +
    'was changed). A missing or invalid token and missing rights are GraphQL errors (UNAUTHENTICATED, FORBIDDEN) instead.',
  fields: (t) => ({
    cooperation: t.field({
      type: CooperationType,
      nullable: true,
      description: 'The cooperation after the write; null when refused.',
      resolve: (p) => p.cooperation,
    }),
    errors: t.field({ type: [FieldErrorType], description: 'Field errors; empty on success.', resolve: (p) => p.errors }),
  }),
});

const MembershipPayload = builder.objectRef<MembershipPayloadShape>('CooperationMembershipPayload').implement({
  description: 'The result of writing a membership: the membership and its cooperation as stored, or field errors and nothing written.',
  fields: (t) => ({
    membership: t.field({
      type: MembershipType,
      nullable: true,
      description: 'The membership after the write; null when refused.',
      resolve: (p) => p.membership,
    }),
    cooperation: t.field({
      type: CooperationType,
      nullable: true,
      description: 'Its cooperation with the new version; null when refused.',
      resolve: (p) => p.cooperation,
    }),
    errors: t.field({ type: [FieldErrorType], description: 'Field errors; empty on success.', resolve: (p) => p.errors }),
  }),
});

// The membership rules (validation.ts), where the inputs describe them.
const MEMBER_VALID_FROM = `First day of the membership, ${YEARS.min}–${YEARS.max}; not before the cooperation's founding day nor after its dissolvedOn.`;
const MEMBER_VALID_UNTIL =
  `Last day, if already known, ${YEARS.min}–${YEARS.max}; not after the cooperation's dissolvedOn. Left out for a ` +
  'dissolved cooperation, the membership ends on its dissolvedOn.';
const DISSOLVED_ON = `Last day, ${YEARS.min}–${YEARS.max}; only for DISSOLVED.`;

const MembershipInputType = builder.inputType('CooperationMemberInput', {
  description: 'A region joining a cooperation.',
  fields: (t) => ({
    regionCode: t.id({ required: true, description: 'ARS code of a region of Lower Saxony.' }),
    role: t.field({ type: MembershipRoleEnum, required: false, defaultValue: 'MEMBER', description: 'Lead or ordinary member.' }),
    validFrom: t.field({ type: 'Date', required: true, description: MEMBER_VALID_FROM }),
    validUntil: t.field({ type: 'Date', required: false, description: MEMBER_VALID_UNTIL }),
  }),
});

const CreateCooperationInput = builder.inputType('CreateCooperationInput', {
  description: 'A new cooperation with its first members.',
  fields: (t) => ({
    name: t.string({ required: true, description: `Name, 1–${LIMITS.name} characters.` }),
    kind: t.field({ type: CooperationKindEnum, required: true, description: 'What kind of cooperation it is.' }),
    description: t.string({ required: false, description: `What it does, up to ${LIMITS.description} characters.` }),
    founded: t.field({
      type: 'Date',
      required: false,
      description: `Founding day, ${YEARS.min}–${YEARS.max}; required unless PLANNED, and none while PLANNED. No member starts before it.`,
    }),
    dissolvedOn: t.field({
      type: 'Date',
      required: false,
      description: `${DISSOLVED_ON} No member starts or ends after it; a member without validUntil ends on it.`,
    }),
    status: t.field({ type: CooperationStatusEnum, required: false, defaultValue: 'ACTIVE', description: 'Lifecycle status.' }),
    contact: t.string({ required: false, description: 'Contact address.' }),
    website: t.string({ required: false, description: 'Website, an http(s) URL.' }),
    members: t.field({ type: [MembershipInputType], required: true, description: `The members, 1–${LIMITS.members}.` }),
  }),
});

const UpdateCooperationInput = builder.inputType('UpdateCooperationInput', {
  description: 'Changes to a cooperation; omitted fields keep their value, null clears an optional one.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The cooperation.' }),
    expectedVersion: t.int({ required: true, description: 'The version you read; a different current version is a VERSION_CONFLICT.' }),
    name: t.string({ required: false, description: `Name, 1–${LIMITS.name} characters.` }),
    kind: t.field({ type: CooperationKindEnum, required: false, description: 'What kind of cooperation it is.' }),
    description: t.string({ required: false, description: `What it does, up to ${LIMITS.description} characters.` }),
    founded: t.field({
      type: 'Date',
      required: false,
      description:
        `Founding day, ${YEARS.min}–${YEARS.max}; none while PLANNED. Not after the first day of any membership, nor after ` +
        'the start of any project the cooperation carries.',
    }),
    dissolvedOn: t.field({
      type: 'Date',
      required: false,
      description: `${DISSOLVED_ON} Not before the first day of any membership; memberships still running on it (open, or ending later) end on it.`,
    }),
    status: t.field({ type: CooperationStatusEnum, required: false, description: 'Lifecycle status.' }),
    contact: t.string({ required: false, description: 'Contact address.' }),
    website: t.string({ required: false, description: 'Website, an http(s) URL.' }),
  }),
});

const AddMembershipInput = builder.inputType('AddCooperationMembershipInput', {
  description: 'A region joining an existing cooperation.',
  fields: (t) => ({
    cooperationId: t.id({ required: true, description: 'The cooperation.' }),
    expectedVersion: t.int({
      required: false,
      description:
        'If given, the version you read; a different current version is a VERSION_CONFLICT. Without it, a change made by someone else meanwhile is not overwritten: the write is checked and applied again on top of it.',
    }),
    regionCode: t.id({ required: true, description: 'ARS code of a region of Lower Saxony.' }),
    role: t.field({ type: MembershipRoleEnum, required: false, defaultValue: 'MEMBER', description: 'Lead or ordinary member.' }),
    validFrom: t.field({ type: 'Date', required: true, description: MEMBER_VALID_FROM }),
    validUntil: t.field({ type: 'Date', required: false, description: MEMBER_VALID_UNTIL }),
  }),
});

const EndMembershipInput = builder.inputType('EndCooperationMembershipInput', {
  description: 'Ends a membership on a given day.',
  fields: (t) => ({
    membershipId: t.id({ required: true, description: 'The membership, e.g. "C-017.3".' }),
    expectedVersion: t.int({
      required: false,
      description:
        'If given, the cooperation version you read; a different current version is a VERSION_CONFLICT. Without it, a change made by someone else meanwhile is not overwritten: the write is checked and applied again on top of it.',
    }),
    validUntil: t.field({
      type: 'Date',
      required: true,
      description: `Last day of the membership, ${YEARS.min}–${YEARS.max}; not before its first day, nor after the cooperation's dissolvedOn.`,
    }),
  }),
});

/**
 * District-bound editors (token claim `district`) may only write cooperations all of whose member regions
 * — present, past and the ones being added — lie in their district (the ARS starts with the district code).
 * State-level members (ARS 03) belong to no district, so only state-wide editors may write those.
 */
function authorizeMembers(ctx: CooperationsContext, regionCodes: Iterable<string>): void {
  authorizeWrite(ctx.caller, WRITE_SCOPE, [...regionCodes].map(districtCodeOf));
}

function refused(...errors: FieldError[]): CooperationPayloadShape & MembershipPayloadShape {
  return { cooperation: null, membership: null, errors };
}

async function loadMemberships(ctx: CooperationsContext, id: string): Promise<MembershipRow[]> {
  return ctx.prisma.cooperationMembership.findMany({ where: { cooperationId: id }, orderBy: { id: 'asc' } });
}

type Transaction = Prisma.TransactionClient;

function sameDay(a: Date | null, b: Date | null): boolean {
  return a === null || b === null ? a === b : a.getTime() === b.getTime();
}

/** The write path's refusable, with this subgraph's codes. */
const refusableWrite = <T>(write: () => Promise<T>) => refusable<T, CooperationInputErrorCode>(write);

/**
 * Increments the version if it is still `expected`, or without it still `read` (the version read
 * with the write's checks: a change since is a StaleRead), else refuses with VERSION_CONFLICT. The
 * row lock it takes also serialises concurrent membership writes to the cooperation.
 */
async function bumpCooperationVersion(
  tx: Transaction,
  id: string,
  version: { expected: number | null | undefined; read?: number },
  subject: string,
  data: Prisma.CooperationUpdateManyMutationInput = {},
): Promise<CooperationRow> {
  await bumpVersion(tx.cooperation, id, {
    ...version,
    field: 'input.expectedVersion',
    what: 'cooperation',
    data: { ...data, updatedBy: subject },
  });
  return tx.cooperation.findUniqueOrThrow({ where: { id } });
}

function membershipRow(cooperationId: string, index: number, member: ValidMembership) {
  return { id: `${cooperationId}.${index}`, cooperationId, ...member, ...codePrefixes(member.regionCode) };
}

function nextMembershipIndex(ids: string[]): number {
  return ids.reduce((max, id) => Math.max(max, Number(id.slice(id.lastIndexOf('.') + 1)) || 0), 0) + 1;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}

interface CreateInput extends CooperationFieldsInput {
  name: string;
  kind: CooperationKind;
  members: MembershipInput[];
}

async function createCooperation(ctx: CooperationsContext, input: CreateInput, write: WriteOptions): Promise<CooperationPayloadShape> {
  const caller = authorizeWrite(ctx.caller, WRITE_SCOPE);
  const first = await replayIdempotent<CooperationRow>(ctx.prisma, COOPERATION_FEED, write);
  if (first) return { cooperation: first.value, errors: [] };
  const catalogue = regionCatalogue();
  const v = createValidator();
  const name = v.text('name', input.name, { required: true, max: LIMITS.name });
  const description = v.text('description', input.description ?? '', { required: false, max: LIMITS.description });
  const contact = v.text('contact', input.contact, { required: false, max: LIMITS.contact });
  const website = v.url('website', input.website, LIMITS.website);
  const founded = validateDay(v, 'founded', input.founded);
  const dissolvedOn = validateDay(v, 'dissolvedOn', input.dissolvedOn);
  const status: CooperationStatus = input.status ?? 'ACTIVE';
  validateLifecycle(v, { status, founded, dissolvedOn });
  const days = checkedDays(v, { status, founded, dissolvedOn });
  if (input.members.length === 0) v.add('members', 'REQUIRED', 'must name at least one member.');
  if (input.members.length > LIMITS.members) v.add('members', 'OUT_OF_RANGE', `must name at most ${LIMITS.members} members.`);
  const members: ValidMembership[] = [];
  input.members.slice(0, LIMITS.members).forEach((member, index) => {
    const valid = validateMembership(v, member, `members[${index}].`, catalogue, days);
    if (!valid) return;
    if (members.some((other) => other.regionCode === valid.regionCode && periodsOverlap(other, valid))) {
      v.add(`members[${index}].regionCode`, 'INVALID', `names ${valid.regionCode} twice for overlapping periods.`);
    }
    members.push(valid);
  });
  if (!v.ok) return refused(...v.errors);
  authorizeMembers(
    ctx,
    members.map((member) => member.regionCode),
  );
  for (let attempt = 1; ; attempt++) {
    try {
      const cooperation = await writeTransaction(ctx.prisma, COOPERATION_FEED, write, async (tx, changes) => {
        const id = await nextRecordKey(tx, COOPERATION_FEED, { table: 'cooperation', entityType: 'COOPERATION', prefix: 'C-' });
        await changes.track('COOPERATION', id);
        const created = await tx.cooperation.create({
          data: {
            id,
            name: name!,
            nameFolded: foldGermanText(name!),
            kind: input.kind,
            description: description ?? '',
            founded,
            dissolvedOn,
            status,
            contact: contact ?? null,
            website: website ?? null,
            synthetic: false,
            source: MANUAL_SOURCE,
            updatedBy: caller.subject,
          },
        });
        const rows = members.map((member, index) => membershipRow(id, index + 1, member));
        changes.created('MEMBERSHIP', ...rows.map((row) => row.id));
        await tx.cooperationMembership.createMany({ data: rows });
        return created;
      });
      return { cooperation, errors: [] };
    } catch (error) {
      // nextRecordKey makes creates take turns; should two still pick one id, the loser takes the next.
      if (!isUniqueViolation(error) || attempt >= 5) throw error;
    }
  }
}

interface UpdateInput extends CooperationFieldsInput {
  id: string | number;
  expectedVersion: number;
}

async function updateCooperation(ctx: CooperationsContext, input: UpdateInput, write: WriteOptions): Promise<CooperationPayloadShape> {
  const caller = authorizeWrite(ctx.caller, WRITE_SCOPE);
  const first = await replayIdempotent<CooperationRow>(ctx.prisma, COOPERATION_FEED, write);
  if (first) return { cooperation: first.value, errors: [] };
  const id = String(input.id);
  const cooperation = await ctx.prisma.cooperation.findUnique({ where: { id } });
  if (!cooperation) return refused(notFound('input.id', 'cooperation', id));
  const memberships = await loadMemberships(ctx, id);
  authorizeMembers(
    ctx,
    memberships.map((membership) => membership.regionCode),
  );
  const v = createValidator();
  // A non-nullable field sent as null means "clear", which these fields do not allow.
  const name = v.text('name', input.name, { required: true, max: LIMITS.name });
  const description = v.text('description', input.description, { required: false, max: LIMITS.description });
  const contact = v.text('contact', input.contact, { required: false, max: LIMITS.contact });
  const website = v.url('website', input.website, LIMITS.website);
  const founded = input.founded === undefined ? cooperation.founded : validateDay(v, 'founded', input.founded);
  const dissolvedOn = input.dissolvedOn === undefined ? cooperation.dissolvedOn : validateDay(v, 'dissolvedOn', input.dissolvedOn);
  if (input.kind === null) v.add('kind', 'REQUIRED', 'must not be null.');
  if (input.status === null) v.add('status', 'REQUIRED', 'must not be null.');
  const status = input.status ?? cooperation.status;
  // A founding day the record never had is required only when it leaves PLANNED or is cleared.
  const foundingUnknown = cooperation.founded === null && input.founded === undefined && cooperation.status !== 'PLANNED';
  validateLifecycle(v, { status, founded, dissolvedOn }, { foundingUnknown });
  // Only the days the write moves are held against the memberships: an older record that breaks the
  // rules (no mutation moves or removes a membership) stays editable in its other fields.
  const moved = {
    status,
    founded: sameDay(founded, cooperation.founded) ? null : founded,
    dissolvedOn: sameDay(dissolvedOn, cooperation.dissolvedOn) ? null : dissolvedOn,
  };
  const ending = validateDaysAgainstMemberships(v, checkedDays(v, moved), memberships);
  if (!v.ok) return refused(...v.errors);
  // As the delete's check: asked before the transaction, and not atomic with it (README). Only a
  // founding day that moves later can put a carried project's start before it.
  if (foundingMovesLater(cooperation.founded, founded)) {
    const startingBefore = formatCalendarDate(founded);
    const carried = await ctx.links.projects.linking(id, ctx.readAfterLsn, { startingBefore });
    if (carried.length > 0) return refused(carriedProjectsBefore(founded, carried));
  }
  const data: Prisma.CooperationUpdateManyMutationInput = {
    ...(name ? { name, nameFolded: foldGermanText(name) } : {}),
    ...(input.kind ? { kind: input.kind } : {}),
    ...(description !== undefined ? { description: description ?? '' } : {}),
    ...(contact !== undefined ? { contact } : {}),
    ...(website !== undefined ? { website } : {}),
    founded,
    dissolvedOn,
    status,
  };
  const result = await refusableWrite(() =>
    writeTransaction(ctx.prisma, COOPERATION_FEED, write, async (tx, changes) => {
      await changes.track('COOPERATION', id);
      await changes.track('MEMBERSHIP', ...ending);
      // `read`: memberships read from a replica behind the caller's version would end the wrong ones.
      const updated = await bumpCooperationVersion(
        tx,
        id,
        { expected: input.expectedVersion, read: cooperation.version },
        caller.subject,
        data,
      );
      // The dissolution ends the memberships still running on its last day (validation.ts).
      if (ending.length > 0)
        await tx.cooperationMembership.updateMany({ where: { id: { in: ending } }, data: { validUntil: dissolvedOn } });
      return updated;
    }),
  );
  return isRefused(result) ? refused(...result) : { cooperation: result, errors: [] };
}

interface AddMembershipArgs {
  cooperationId: string | number;
  expectedVersion?: number | null;
  regionCode: string | number;
  role?: MembershipRole | null;
  validFrom: Date;
  validUntil?: Date | null;
}

async function addMembership(ctx: CooperationsContext, input: AddMembershipArgs, write: WriteOptions): Promise<MembershipPayloadShape> {
  const caller = authorizeWrite(ctx.caller, WRITE_SCOPE);
  const first = await replayIdempotent<Omit<MembershipPayloadShape, 'errors'>>(ctx.prisma, COOPERATION_FEED, write);
  if (first) return { ...first.value, errors: [] };
  const id = String(input.cooperationId);
  const cooperation = await ctx.prisma.cooperation.findUnique({ where: { id } });
  if (!cooperation) return refused(notFound('input.cooperationId', 'cooperation', id));
  const memberships = await loadMemberships(ctx, id);
  authorizeMembers(
    ctx,
    memberships.map((membership) => membership.regionCode),
  );
  const v = createValidator();
  const member = validateMembership(v, input, '', regionCatalogue(), cooperation);
  if (member && memberships.some((other) => other.regionCode === member.regionCode && periodsOverlap(other, member))) {
    v.add('regionCode', 'INVALID', `${member.regionCode} is already a member of ${id} in an overlapping period.`);
  }
  if (!v.ok || !member) return refused(...v.errors);
  authorizeMembers(ctx, [member.regionCode]);
  const result = await refusableWrite(() =>
    writeTransaction(ctx.prisma, COOPERATION_FEED, write, async (tx, changes) => {
      await changes.track('COOPERATION', id);
      const updated = await bumpCooperationVersion(tx, id, { expected: input.expectedVersion, read: cooperation.version }, caller.subject);
      // Read the ids after the version bump: its row lock keeps concurrent writers of this cooperation out.
      const ids = await tx.cooperationMembership.findMany({ where: { cooperationId: id }, select: { id: true } });
      const membership = await tx.cooperationMembership.create({
        data: membershipRow(id, nextMembershipIndex(ids.map((row) => row.id)), member),
      });
      changes.created('MEMBERSHIP', membership.id);
      return { membership, cooperation: updated };
    }),
  );
  return isRefused(result) ? refused(...result) : { ...result, errors: [] };
}

interface EndMembershipArgs {
  membershipId: string | number;
  expectedVersion?: number | null;
  validUntil: Date;
}

async function endMembership(ctx: CooperationsContext, input: EndMembershipArgs, write: WriteOptions): Promise<MembershipPayloadShape> {
  const caller = authorizeWrite(ctx.caller, WRITE_SCOPE);
  const first = await replayIdempotent<Omit<MembershipPayloadShape, 'errors'>>(ctx.prisma, COOPERATION_FEED, write);
  if (first) return { ...first.value, errors: [] };
  const membershipId = String(input.membershipId);
  // The cooperation's version first, then its memberships: a change in between shows as a newer
  // version at the transaction (StaleRead), so the checks below never see older memberships.
  const located = await ctx.prisma.cooperationMembership.findUnique({ where: { id: membershipId }, select: { cooperationId: true } });
  const cooperation = located && (await ctx.prisma.cooperation.findUnique({ where: { id: located.cooperationId } }));
  const memberships = cooperation ? await loadMemberships(ctx, cooperation.id) : [];
  const target = memberships.find((membership) => membership.id === membershipId);
  if (!cooperation || !target) return refused(notFound('input.membershipId', 'membership', membershipId));
  authorizeMembers(
    ctx,
    memberships.map((membership) => membership.regionCode),
  );
  const v = createValidator();
  const validUntil = validateDay(v, 'validUntil', input.validUntil);
  v.dateOrder(
    'validUntil',
    target.validFrom,
    validUntil,
    `must not be before the membership's validFrom (${formatCalendarDate(target.validFrom)}).`,
  );
  validateEnd(v, 'validUntil', cooperation, validUntil);
  if (target.validUntil !== null) {
    v.add('membershipId', 'INVALID_TRANSITION', `membership ${membershipId} already ended on ${formatCalendarDate(target.validUntil)}.`);
  }
  if (!v.ok || !validUntil) return refused(...v.errors);
  const result = await refusableWrite(() =>
    writeTransaction(ctx.prisma, COOPERATION_FEED, write, async (tx, changes) => {
      await changes.track('COOPERATION', target.cooperationId);
      await changes.track('MEMBERSHIP', membershipId);
      const updated = await bumpCooperationVersion(
        tx,
        target.cooperationId,
        { expected: input.expectedVersion, read: cooperation.version },
        caller.subject,
      );
      const membership = await tx.cooperationMembership.update({ where: { id: membershipId }, data: { validUntil } });
      return { membership, cooperation: updated };
    }),
  );
  return isRefused(result) ? refused(...result) : { ...result, errors: [] };
}

interface DeleteArgs {
  id: string | number;
  expectedVersion: number;
}

async function deleteCooperation(ctx: CooperationsContext, input: DeleteArgs, write: WriteOptions): Promise<CooperationPayloadShape> {
  authorizeWrite(ctx.caller, WRITE_SCOPE);
  const first = await replayIdempotent<CooperationRow>(ctx.prisma, COOPERATION_FEED, write);
  if (first) return { cooperation: first.value, errors: [] };
  const id = String(input.id);
  const cooperation = await ctx.prisma.cooperation.findUnique({ where: { id } });
  if (!cooperation) return refused(notFound('id', 'cooperation', id));
  const memberships = await loadMemberships(ctx, id);
  authorizeMembers(
    ctx,
    memberships.map((membership) => membership.regionCode),
  );
  // Asked before the transaction, so a projects subgraph that does not answer holds no lock here.
  // Not atomic with the delete: a project linked in between is left pointing at nothing, as one
  // linked while the cooperation is being deleted would be (subgraphs/cooperations/README.md).
  const linking = await ctx.links.projects.linking(id, ctx.readAfterLsn);
  if (linking.length > 0) return refused(inUse('id', 'cooperation', id, { what: 'project', keys: linking }));
  const result = await refusableWrite(() =>
    writeTransaction(ctx.prisma, COOPERATION_FEED, write, async (tx, changes) => {
      await changes.track('COOPERATION', id);
      await changes.track('MEMBERSHIP', ...memberships.map((membership) => membership.id));
      await deleteVersioned(tx.cooperation, id, {
        expected: input.expectedVersion,
        read: cooperation.version,
        field: 'expectedVersion',
        what: 'cooperation',
      });
      return cooperation;
    }),
  );
  return isRefused(result) ? refused(...result) : { cooperation: result, errors: [] };
}

builder.mutationFields((t) => ({
  createCooperation: t.field({
    type: CooperationPayload,
    description:
      `Creates a cooperation with its members (id "C-<n>"). Needs scope ${WRITE_SCOPE}; a district-bound editor may only ` +
      'create cooperations whose members all lie in their district.',
    args: {
      input: t.arg({ type: CreateCooperationInput, required: true, description: 'The cooperation.' }),
      idempotencyKey: t.arg.string({ required: false, description: IDEMPOTENCY_KEY_DESCRIPTION }),
    },
    resolve: (_root, { idempotencyKey, ...args }, ctx) =>
      createCooperation(ctx, args.input, writeOptions(ctx.caller, idempotencyKey, 'createCooperation', args)),
  }),
  updateCooperation: t.field({
    type: CooperationPayload,
    description:
      `Changes a cooperation if expectedVersion is still current (else a VERSION_CONFLICT input error). Needs scope ${WRITE_SCOPE}. ` +
      'A new founding day or dissolvedOn must keep every membership within the cooperation’s life; dissolving it ends the ' +
      'memberships still running on dissolvedOn. A founding day that moves later (or is first given) must not be after the ' +
      'start of a project the cooperation carries (OUT_OF_RANGE at input.founded, naming them), which the projects subgraph ' +
      'is asked; REFERENCE_CHECK_UNAVAILABLE when it cannot be.',
    args: {
      input: t.arg({ type: UpdateCooperationInput, required: true, description: 'The changes.' }),
      idempotencyKey: t.arg.string({ required: false, description: IDEMPOTENCY_KEY_DESCRIPTION }),
    },
    resolve: (_root, { idempotencyKey, ...args }, ctx) =>
      retryStaleReads(
        () => updateCooperation(ctx, args.input, writeOptions(ctx.caller, idempotencyKey, 'updateCooperation', args)),
        refused,
      ),
  }),
  deleteCooperation: t.field({
    type: CooperationPayload,
    description: `Deletes a cooperation with its memberships and actors if expectedVersion is still current; the change feed keeps a tombstone. Needs scope ${WRITE_SCOPE}. The payload shows it as it was. Refused with IN_USE while projects carry it (updateProject with clearCooperation or another cooperationId unlinks one), and with REFERENCE_CHECK_UNAVAILABLE when the projects subgraph cannot be asked.`,
    args: {
      id: t.arg.id({ required: true, description: 'The cooperation.' }),
      expectedVersion: t.arg.int({ required: true, description: 'The version you read.' }),
      idempotencyKey: t.arg.string({ required: false, description: IDEMPOTENCY_KEY_DESCRIPTION }),
    },
    resolve: (_root, { idempotencyKey, ...args }, ctx) =>
      retryStaleReads(() => deleteCooperation(ctx, args, writeOptions(ctx.caller, idempotencyKey, 'deleteCooperation', args)), refused),
  }),
  addMembership: t.field({
    type: MembershipPayload,
    description: `Adds a member region to a cooperation and increments its version. Needs scope ${WRITE_SCOPE}.`,
    args: {
      input: t.arg({ type: AddMembershipInput, required: true, description: 'The membership.' }),
      idempotencyKey: t.arg.string({ required: false, description: IDEMPOTENCY_KEY_DESCRIPTION }),
    },
    resolve: (_root, { idempotencyKey, ...args }, ctx) =>
      retryStaleReads(() => addMembership(ctx, args.input, writeOptions(ctx.caller, idempotencyKey, 'addMembership', args)), refused),
  }),
  endMembership: t.field({
    type: MembershipPayload,
    description: `Ends a membership on a day and increments the cooperation's version. Needs scope ${WRITE_SCOPE}.`,
    args: {
      input: t.arg({ type: EndMembershipInput, required: true, description: 'Which membership and when it ends.' }),
      idempotencyKey: t.arg.string({ required: false, description: IDEMPOTENCY_KEY_DESCRIPTION }),
    },
    resolve: (_root, { idempotencyKey, ...args }, ctx) =>
      retryStaleReads(() => endMembership(ctx, args.input, writeOptions(ctx.caller, idempotencyKey, 'endMembership', args)), refused),
  }),
}));
