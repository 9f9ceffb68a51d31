import { Prisma, type ProjectKind, type ProjectStatus, type ProjectTopic } from '@regiograph/db';
import {
  countyCodeOf,
  districtCodeOf,
  formatCalendarDate,
  MAX_EXACT_CENTS,
  parseCalendarDate,
  regionCatalogue,
  type Caller,
} from '@regiograph/shared';
import {
  authorizeWrite,
  bumpVersion,
  defineInputErrorType,
  isRefused,
  nextRecordKey,
  notFound,
  deleteVersioned,
  RefusedWrite,
  IDEMPOTENCY_KEY_DESCRIPTION,
  refusable,
  regionCodeOfInput,
  replayIdempotent,
  retryStaleReads,
  serialKey,
  versionReadMismatch,
  writeOptions,
  writeTransaction,
  type WriteOptions,
} from '@regiograph/subgraph-kit';
import { PROJECT_FEED, type ProjectEntity } from '../change-feed';
import { builder } from '../builder';
import {
  primeProjectRows,
  readProjectRows,
  WRITE_SCOPE,
  type FundingRow,
  type ProjectRow,
  type ProjectRows,
  type ProjectsContext,
} from '../context';
import { refreshSearchDocuments } from '../search-document';
import {
  ALLOWED_TRANSITIONS,
  LIMITS,
  storedTitle,
  SYNTHETIC_LABEL,
  validateFunding,
  validateProject,
  validateSource,
  type DocumentInput,
  type FieldError,
  type FindingInput,
  type ProjectDraft,
  type ProjectInputErrorCode,
  type RegionInput,
} from '../validation';
import { FundingType, ProjectType } from './project';
import { ProjectKindEnum, ProjectRegionRoleEnum, ProjectStatusEnum, ProjectTopicEnum } from './refs';

type Transaction = Prisma.TransactionClient;

const INPUT_ERROR_CODES: Record<ProjectInputErrorCode, string> = {
  REQUIRED: 'A required value is missing or empty.',
  INVALID: 'The value is malformed or inconsistent.',
  OUT_OF_RANGE: 'The value lies outside the allowed range (e.g. a negative amount, an end before the start).',
  UNKNOWN_REGION: 'The region code is not a region of Lower Saxony.',
  UNKNOWN_PROGRAMME: 'The programme code is not a funding programme.',
  NOT_FOUND: 'The record to change, or one the input links to (a cooperation, an indicator), does not exist.',
  VERSION_CONFLICT: 'Someone else changed the project since you read it: reload it and apply your change to the current version.',
  INVALID_TRANSITION: 'The project cannot move from its current status to the requested one.',
};

const refusableWrite = <T>(write: () => Promise<T>) => refusable<T, ProjectInputErrorCode>(write);

const InputErrorType = defineInputErrorType(builder, {
  enumName: 'ProjectInputErrorCode',
  enumDescription: 'Why an input of a project mutation was refused.',
  codes: INPUT_ERROR_CODES,
  typeName: 'ProjectInputError',
  typeDescription: 'A refused input field: which one, why, and a code to branch on.',
  fieldDescription: 'Path of the input field, e.g. "input.endDate" or "input.regions[1].regionCode".',
});

interface ProjectPayload {
  project: ProjectRow | null;
  errors: FieldError[];
}

interface FundingPayload {
  funding: FundingRow | null;
  project: ProjectRow | null;
  errors: FieldError[];
}

const ProjectPayloadType = builder.objectRef<ProjectPayload>('ProjectPayload').implement({
  description:
    'The result of a project write: the project as stored, or the input errors that prevented the write (then nothing was changed). ' +
    'A missing or invalid token and missing rights are GraphQL errors (UNAUTHENTICATED, FORBIDDEN) instead.',
  fields: (t) => ({
    project: t.field({
      type: ProjectType,
      nullable: true,
      description: 'The project after the write; null when refused.',
      resolve: (payload) => payload.project,
    }),
    errors: t.field({ type: [InputErrorType], description: 'Refused inputs; empty on success.', resolve: (payload) => payload.errors }),
  }),
});

const FundingPayloadType = builder.objectRef<FundingPayload>('FundingPayload').implement({
  description: 'The result of a funding write: the funding and its project as stored, or the input errors (then nothing was changed).',
  fields: (t) => ({
    funding: t.field({
      type: FundingType,
      nullable: true,
      description: 'The funding after the write; null when refused.',
      resolve: (payload) => payload.funding,
    }),
    project: t.field({
      type: ProjectType,
      nullable: true,
      description: 'The funded project after the write (with its new version).',
      resolve: (payload) => payload.project,
    }),
    errors: t.field({ type: [InputErrorType], description: 'Refused inputs; empty on success.', resolve: (payload) => payload.errors }),
  }),
});

const ProjectRegionInput = builder.inputType('ProjectRegionInput', {
  description: 'A region taking part in a project.',
  fields: (t) => ({
    regionCode: t.id({ required: true, description: 'The region’s ARS code (district, county, Samtgemeinde or municipality).' }),
    role: t.field({ type: ProjectRegionRoleEnum, required: true, description: 'Its role; exactly one region is LEAD.' }),
  }),
});

const FindingInputType = builder.inputType('ProjectFindingInput', {
  description: 'A transferable finding.',
  fields: (t) => ({
    text: t.string({ required: true, description: 'The finding.' }),
    topic: t.field({ type: ProjectTopicEnum, required: true, description: 'Its theme.' }),
  }),
});

const DocumentInputType = builder.inputType('ProjectDocumentInput', {
  description: 'A link to a project document.',
  fields: (t) => ({
    title: t.string({ required: true, description: 'The title.' }),
    url: t.string({
      required: true,
      description:
        `An http(s) URL of at most ${LIMITS.url} characters, without spaces, control or invisible characters ` +
        '(percent-encode them, e.g. a space as %20); spaces around it are dropped.',
    }),
  }),
});

const CreateProjectInput = builder.inputType('CreateProjectInput', {
  description: 'A new project. Its district is the lead region’s ArL district; a district-bound editor may only create projects there.',
  fields: (t) => ({
    title: t.string({ required: true, description: 'The title.' }),
    summary: t.string({ required: true, description: 'What the project does and why.' }),
    kind: t.field({ type: ProjectKindEnum, required: true, description: 'Study, model project or other.' }),
    status: t.field({
      type: ProjectStatusEnum,
      required: false,
      defaultValue: 'PLANNED',
      description: 'The starting status (default PLANNED).',
    }),
    topics: t.field({ type: [ProjectTopicEnum], required: true, description: 'At least one theme.' }),
    startDate: t.field({ type: 'Date', required: true, description: 'When the project starts.' }),
    endDate: t.field({ type: 'Date', required: false, description: 'When it ends (not before startDate); omit while open.' }),
    regions: t.field({ type: [ProjectRegionInput], required: true, description: 'The regions involved, exactly one of them LEAD.' }),
    cooperationId: t.id({
      required: false,
      description:
        'The carrying cooperation (id in the cooperations subgraph, which is asked whether it exists and when it was founded: NOT_FOUND if it does not exist, ' +
        'OUT_OF_RANGE if the project would start before its founding day, REFERENCE_CHECK_UNAVAILABLE if it does not answer).',
    }),
    findings: t.field({ type: [FindingInputType], required: false, description: 'Transferable findings, at most 50.' }),
    documents: t.field({ type: [DocumentInputType], required: false, description: 'Links to documents, at most 50.' }),
    indicatorCodes: t.idList({
      required: false,
      description:
        'Codes of the indicators the project aims to move, at most 50, each once; the indicators subgraph is asked whether they exist, as for cooperationId.',
    }),
    source: t.string({
      required: false,
      description: `Where the record comes from, at most ${LIMITS.source} characters; defaults to the editor’s role and ArL office, never their name (the source is public).`,
    }),
  }),
});

const UpdateProjectInput = builder.inputType('UpdateProjectInput', {
  description: 'Changes to a project: omitted fields stay as they are; given lists replace the stored ones entirely.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The project to change.' }),
    expectedVersion: t.int({ required: true, description: 'The version you read; a stale version is refused with VERSION_CONFLICT.' }),
    title: t.string({
      required: false,
      description:
        `A new title, at most ${LIMITS.title} characters. A synthetic project keeps its label: " ${SYNTHETIC_LABEL}" is appended ` +
        `unless the title already ends in "${SYNTHETIC_LABEL}", and counts within the ${LIMITS.title}.`,
    }),
    summary: t.string({ required: false, description: 'A new summary.' }),
    kind: t.field({ type: ProjectKindEnum, required: false, description: 'A new kind.' }),
    topics: t.field({ type: [ProjectTopicEnum], required: false, description: 'New themes.' }),
    startDate: t.field({
      type: 'Date',
      required: false,
      description:
        'A new start date. Every region must exist on it (OUT_OF_RANGE); an earlier one than stored is checked against the founding day of the carrying cooperation, as in CreateProjectInput.',
    }),
    endDate: t.field({ type: 'Date', required: false, description: 'A new end date.' }),
    clearEndDate: t.boolean({ required: false, description: 'True to make the end open again.' }),
    regions: t.field({ type: [ProjectRegionInput], required: false, description: 'The new set of regions (exactly one LEAD).' }),
    cooperationId: t.id({ required: false, description: 'A new carrying cooperation; checked as in CreateProjectInput.' }),
    clearCooperation: t.boolean({ required: false, description: 'True to detach the project from its cooperation.' }),
    findings: t.field({ type: [FindingInputType], required: false, description: 'The new findings, at most 50.' }),
    documents: t.field({ type: [DocumentInputType], required: false, description: 'The new document links, at most 50.' }),
    indicatorCodes: t.idList({
      required: false,
      description: 'The new indicator codes, at most 50, each once; codes not yet stored are checked as in CreateProjectInput.',
    }),
  }),
});

const AddFundingInput = builder.inputType('AddFundingInput', {
  description: 'A new funding commitment for a project.',
  fields: (t) => ({
    projectId: t.id({ required: true, description: 'The funded project.' }),
    programmeCode: t.id({ required: true, description: 'The programme (see fundingProgrammes).' }),
    amountCents: t.field({ type: 'Cents', required: true, description: 'The amount in euro cents, not negative.' }),
    coFinancingShare: t.float({ required: true, description: 'The co-financed share of the cost, 0–1, at most four decimals.' }),
    commitmentYear: t.int({ required: true, description: 'The year of commitment.' }),
    expectedVersion: t.int({
      required: false,
      description:
        'If given, the write is refused with VERSION_CONFLICT unless the project still has this version. Without it, a change made by someone else meanwhile is not overwritten: the write is checked and applied again on top of it.',
    }),
  }),
});

const UpdateFundingInput = builder.inputType('UpdateFundingInput', {
  description: 'Changes to a funding commitment; omitted fields stay as they are.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The funding to change.' }),
    programmeCode: t.id({ required: false, description: 'A new programme.' }),
    amountCents: t.field({ type: 'Cents', required: false, description: 'A new amount in euro cents, not negative.' }),
    coFinancingShare: t.float({ required: false, description: 'A new co-financed share, 0–1.' }),
    commitmentYear: t.int({ required: false, description: 'A new year of commitment.' }),
    expectedVersion: t.int({
      required: false,
      description:
        'If given, the write is refused with VERSION_CONFLICT unless the project still has this version. Without it, a change made by someone else meanwhile is not overwritten: the write is checked and applied again on top of it.',
    }),
  }),
});

function failed(...errors: FieldError[]): ProjectPayload & FundingPayload {
  return { project: null, funding: null, errors };
}

/**
 * Increments the project's version if it is still `expected`, or without it still `read` (the
 * version read with the write's checks: a change since is a StaleRead); else refuses. It records the
 * editor as the project's last writer (and Prisma the time), which its attribution shows.
 */
function bumpProjectVersion(
  tx: Transaction,
  id: string,
  version: { expected: number | null | undefined; read?: number },
  field: string,
  editor: string,
  data: Prisma.ProjectUpdateManyMutationInput = {},
): Promise<void> {
  return bumpVersion(tx.project, id, { ...version, field, what: 'project', data: { ...data, updatedBy: editor } });
}

/**
 * Refuses a funding write that brings the total of all commitments beyond what a Cents sum carries
 * exactly (2^53 − 1 cents): every sum the API serves (a project's, a region's, a programme's, a
 * year's, all of them) is part of that total, so none can then fail to serialise for every caller.
 * Each commitment is bounded, but not their number. Taken after the write: the lock makes funding
 * writes check one after another, each seeing the ones committed before it.
 */
async function refuseTotalBeyondExactCents(tx: Transaction): Promise<void> {
  await tx.$executeRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext('projects.funding_total')::bigint)`;
  const [row] = await tx.$queryRaw<{ total: string }[]>`SELECT coalesce(sum(amount_cents), 0)::text AS total FROM projects.funding`;
  if (BigInt(row!.total) > MAX_EXACT_CENTS)
    throw new RefusedWrite([
      {
        field: 'input.amountCents',
        code: 'OUT_OF_RANGE',
        message: `would bring the total of all funding commitments to ${row!.total} cents, beyond the ${MAX_EXACT_CENTS} cents that the API's sums carry exactly.`,
      },
    ]);
}

function regionRows(projectId: string, regions: RegionInput[]) {
  return regions.map((region) => ({
    projectId,
    regionCode: region.regionCode,
    role: region.role,
    districtCode: districtCodeOf(region.regionCode)!,
    countyCode: countyCodeOf(region.regionCode),
  }));
}

async function replaceChildren(
  tx: Transaction,
  projectId: string,
  draft: Pick<ProjectDraft, 'regions' | 'findings' | 'documents' | 'indicatorCodes'>,
): Promise<void> {
  if (draft.regions) {
    await tx.projectRegion.deleteMany({ where: { projectId } });
    await tx.projectRegion.createMany({ data: regionRows(projectId, draft.regions) });
  }
  if (draft.findings) {
    await tx.finding.deleteMany({ where: { projectId } });
    if (draft.findings.length > 0) {
      await tx.finding.createMany({
        data: draft.findings.map((finding, position) => ({ projectId, position, text: finding.text.trim(), topic: finding.topic })),
      });
    }
  }
  if (draft.documents) {
    await tx.projectDocument.deleteMany({ where: { projectId } });
    if (draft.documents.length > 0) {
      await tx.projectDocument.createMany({
        data: draft.documents.map((document, position) => ({
          projectId,
          position,
          title: document.title.trim(),
          url: document.url.trim(),
        })),
      });
    }
  }
  if (draft.indicatorCodes) {
    await tx.projectIndicator.deleteMany({ where: { projectId } });
    if (draft.indicatorCodes.length > 0)
      await tx.projectIndicator.createMany({ data: draft.indicatorCodes.map((indicatorCode) => ({ projectId, indicatorCode })) });
  }
}

/**
 * NOT_FOUND for each link of a draft that the owning subgraph does not hold: its cooperation (asked
 * of cooperations) and its indicator codes (asked of indicators), by key. Links already stored are
 * not asked about again, but for a stored cooperation when the draft starts earlier than the stored
 * project: its founding day may then lie after the new start (a stored cooperation deleted since is
 * not refused). The founding day comes in the same call: OUT_OF_RANGE at input.cooperationId when
 * the project would start before its carrier was founded.
 */
async function unknownLinks(
  ctx: ProjectsContext,
  draft: Pick<ProjectDraft, 'cooperationId' | 'indicatorCodes' | 'startDate'>,
  stored: { cooperationId: string | null; indicatorCodes: ReadonlySet<string>; startDate: Date | null } = {
    cooperationId: null,
    indicatorCodes: new Set(),
    startDate: null,
  },
): Promise<FieldError[]> {
  const newCooperation = draft.cooperationId !== stored.cooperationId;
  const startsEarlier = stored.startDate !== null && draft.startDate < stored.startDate;
  const cooperationId = newCooperation || startsEarlier ? draft.cooperationId : null;
  const newCodes = (draft.indicatorCodes ?? []).filter((code) => !stored.indicatorCodes.has(code));
  const [cooperations, missingCodes] = await Promise.all([
    ctx.references.cooperations.found(cooperationId === null ? [] : [cooperationId], ctx.readAfterLsn),
    ctx.references.indicators.missing(newCodes, ctx.readAfterLsn),
  ]);
  const errors: FieldError[] = [];
  if (cooperationId !== null) {
    const carrier = cooperations.get(cooperationId);
    const founded = typeof carrier?.founded === 'string' ? parseCalendarDate(carrier.founded) : null;
    if (!carrier) {
      if (newCooperation) errors.push(notFound('input.cooperationId', 'cooperation', cooperationId));
    } else if (founded && draft.startDate < founded) {
      errors.push({
        field: 'input.cooperationId',
        code: 'OUT_OF_RANGE',
        message: `the project's start (${formatCalendarDate(draft.startDate)}) must not be before cooperation ${JSON.stringify(cooperationId)} was founded (${formatCalendarDate(founded)}).`,
      });
    }
  }
  const unknownCodes = new Set(missingCodes);
  draft.indicatorCodes?.forEach((code, index) => {
    if (unknownCodes.has(code)) errors.push(notFound(`input.indicatorCodes[${index}]`, 'indicator', code));
  });
  return errors;
}

function leadDistrict(regions: RegionInput[]): string {
  return regions.find((region) => region.role === 'LEAD')!.regionCode.slice(0, 3);
}

interface CreateArgs {
  title: string;
  summary: string;
  kind: ProjectKind;
  status?: ProjectStatus | null;
  topics: ProjectTopic[];
  startDate: Date;
  endDate?: Date | null;
  regions: { regionCode: string | number; role: RegionInput['role'] }[];
  cooperationId?: string | number | null;
  findings?: FindingInput[] | null;
  documents?: DocumentInput[] | null;
  indicatorCodes?: (string | number)[] | null;
  source?: string | null;
}

const ID_ATTEMPTS = 5;

async function createProject(ctx: ProjectsContext, input: CreateArgs, write: WriteOptions): Promise<ProjectPayload> {
  const caller = authorizeWrite(ctx.caller, WRITE_SCOPE);
  const first = await replayIdempotent<ProjectRow>(ctx.prisma, PROJECT_FEED, write);
  if (first) return { project: first.value, errors: [] };
  const draft: ProjectDraft = {
    title: input.title,
    summary: input.summary,
    topics: input.topics,
    startDate: input.startDate,
    endDate: input.endDate ?? null,
    regions: input.regions.map((region) => ({ regionCode: regionCodeOfInput(region.regionCode), role: region.role })),
    cooperationId: input.cooperationId != null ? String(input.cooperationId) : null,
    findings: input.findings ?? [],
    documents: input.documents ?? [],
    indicatorCodes: (input.indicatorCodes ?? []).map(String),
  };
  const errors = [...validateProject(draft, ctx.catalogue), ...validateSource(input.source)];
  if (errors.length > 0) return failed(...errors);
  const districtCode = leadDistrict(draft.regions!);
  authorizeWrite(ctx.caller, WRITE_SCOPE, [districtCode]);
  const unknown = await unknownLinks(ctx, draft);
  if (unknown.length > 0) return failed(...unknown);
  const startDate = draft.startDate;
  const prefix = `P-${startDate.getUTCFullYear()}-`;
  for (let attempt = 1; ; attempt++) {
    try {
      const project = await writeTransaction(ctx.prisma, PROJECT_FEED, write, async (tx, changes) => {
        // Sequence numbers per start year; creates of one year take turns (nextRecordKey), and the
        // retry below stays as the safety net.
        const id = await nextRecordKey(tx, PROJECT_FEED, { table: 'project', entityType: 'PROJECT', prefix });
        await changes.track('PROJECT', id);
        await tx.project.create({
          data: {
            id,
            title: draft.title.trim(),
            summary: draft.summary.trim(),
            kind: input.kind,
            status: input.status ?? 'PLANNED',
            topics: draft.topics,
            startDate,
            endDate: draft.endDate,
            districtCode,
            cooperationId: draft.cooperationId,
            synthetic: false,
            source: input.source?.trim() ?? apiEntrySource(caller),
            updatedBy: caller.subject,
          },
        });
        await replaceChildren(tx, id, draft);
        await refreshSearchDocuments(tx, [id]);
        return tx.project.findUniqueOrThrow({ where: { id } });
      });
      return { project, errors: [] };
    } catch (error) {
      const duplicateId = error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
      if (!duplicateId || attempt >= ID_ATTEMPTS) throw error;
    }
  }
}

interface UpdateArgs {
  id: string | number;
  expectedVersion: number;
  title?: string | null;
  summary?: string | null;
  kind?: ProjectKind | null;
  topics?: ProjectTopic[] | null;
  startDate?: Date | null;
  endDate?: Date | null;
  clearEndDate?: boolean | null;
  regions?: { regionCode: string | number; role: RegionInput['role'] }[] | null;
  cooperationId?: string | number | null;
  clearCooperation?: boolean | null;
  findings?: FindingInput[] | null;
  documents?: DocumentInput[] | null;
  indicatorCodes?: (string | number)[] | null;
}

async function updateProject(ctx: ProjectsContext, input: UpdateArgs, write: WriteOptions): Promise<ProjectPayload> {
  const caller = authorizeWrite(ctx.caller, WRITE_SCOPE);
  const first = await replayIdempotent<ProjectRow>(ctx.prisma, PROJECT_FEED, write);
  if (first) return { project: first.value, errors: [] };
  const id = String(input.id);
  const stored = await ctx.prisma.project.findUnique({ where: { id } });
  if (!stored) return failed(notFound('input.id', 'project', id));
  authorizeWrite(ctx.caller, WRITE_SCOPE, [stored.districtCode]);
  const draft: ProjectDraft = {
    title: input.title ?? stored.title,
    synthetic: stored.synthetic,
    summary: input.summary ?? stored.summary,
    topics: input.topics ?? stored.topics,
    startDate: input.startDate ?? stored.startDate,
    endDate: input.clearEndDate ? null : (input.endDate ?? stored.endDate ?? null),
    regions: input.regions
      ? input.regions.map((region) => ({ regionCode: regionCodeOfInput(region.regionCode), role: region.role }))
      : null,
    cooperationId: input.clearCooperation ? null : input.cooperationId != null ? String(input.cooperationId) : stored.cooperationId,
    findings: input.findings ?? null,
    documents: input.documents ?? null,
    indicatorCodes: input.indicatorCodes ? input.indicatorCodes.map(String) : null,
  };
  // Regions the update keeps must exist on a new start day too; named ones are checked as given.
  const startMoved = input.startDate != null && input.startDate.getTime() !== stored.startDate.getTime();
  const keptRegions =
    startMoved && !draft.regions ? await ctx.prisma.projectRegion.findMany({ where: { projectId: id }, select: { regionCode: true } }) : [];
  const errors = validateProject(
    draft,
    ctx.catalogue,
    'input',
    keptRegions.map((region) => region.regionCode),
  );
  if (input.clearEndDate && input.endDate != null)
    errors.push({ field: 'input.clearEndDate', message: 'contradicts endDate', code: 'INVALID' });
  if (input.clearCooperation && input.cooperationId != null)
    errors.push({ field: 'input.clearCooperation', message: 'contradicts cooperationId', code: 'INVALID' });
  if (errors.length > 0) return failed(...errors);
  // Moving the lead region may move the project to another district: the editor must hold both.
  const districtCode = draft.regions ? leadDistrict(draft.regions) : stored.districtCode;
  if (districtCode !== stored.districtCode) authorizeWrite(ctx.caller, WRITE_SCOPE, [districtCode]);
  // Only new links are checked (and the carrier's founding day against an earlier start): a project
  // whose cooperation has since been deleted, or whose indicator a later import dropped, keeps its
  // other fields editable.
  const storedCodes = draft.indicatorCodes
    ? await ctx.prisma.projectIndicator.findMany({ where: { projectId: id }, select: { indicatorCode: true } })
    : [];
  const unknown = await unknownLinks(ctx, draft, {
    cooperationId: stored.cooperationId,
    indicatorCodes: new Set(storedCodes.map((row) => row.indicatorCode)),
    startDate: stored.startDate,
  });
  if (unknown.length > 0) return failed(...unknown);
  const result = await refusableWrite(() =>
    writeTransaction(ctx.prisma, PROJECT_FEED, write, async (tx, changes) => {
      await changes.track('PROJECT', id);
      await bumpProjectVersion(tx, id, { expected: input.expectedVersion, read: stored.version }, 'input.expectedVersion', caller.subject, {
        title: storedTitle(draft.title, stored.synthetic),
        summary: draft.summary.trim(),
        kind: input.kind ?? stored.kind,
        topics: draft.topics,
        startDate: draft.startDate,
        endDate: draft.endDate,
        districtCode,
        cooperationId: draft.cooperationId,
      });
      await replaceChildren(tx, id, draft);
      await refreshSearchDocuments(tx, [id]);
      return tx.project.findUniqueOrThrow({ where: { id } });
    }),
  );
  return isRefused(result) ? failed(...result) : { project: result, errors: [] };
}

async function changeProjectStatus(
  ctx: ProjectsContext,
  idArgument: string | number,
  status: ProjectStatus,
  expectedVersion: number,
  write: WriteOptions,
): Promise<ProjectPayload> {
  const caller = authorizeWrite(ctx.caller, WRITE_SCOPE);
  const first = await replayIdempotent<ProjectRow>(ctx.prisma, PROJECT_FEED, write);
  if (first) return { project: first.value, errors: [] };
  const id = String(idArgument);
  const stored = await ctx.prisma.project.findUnique({ where: { id } });
  if (!stored) return failed(notFound('id', 'project', id));
  authorizeWrite(ctx.caller, WRITE_SCOPE, [stored.districtCode]);
  // Before the transition check, which must not judge a status older than the caller has seen.
  const mismatch = versionReadMismatch(stored.version, { expected: expectedVersion, field: 'expectedVersion', what: 'project' });
  if (mismatch) return failed(mismatch);
  if (!ALLOWED_TRANSITIONS[stored.status]!.includes(status)) {
    return failed({ field: 'status', message: `a ${stored.status} project cannot become ${status}`, code: 'INVALID_TRANSITION' });
  }
  const result = await refusableWrite(() =>
    writeTransaction(ctx.prisma, PROJECT_FEED, write, async (tx, changes) => {
      // The version condition keeps the transition check valid against a concurrent change.
      await changes.track('PROJECT', id);
      await bumpProjectVersion(tx, id, { expected: expectedVersion }, 'expectedVersion', caller.subject, { status });
      return tx.project.findUniqueOrThrow({ where: { id } });
    }),
  );
  return isRefused(result) ? failed(...result) : { project: result, errors: [] };
}

interface FundingArgs {
  programmeCode?: string | number | null;
  amountCents?: bigint | null;
  coFinancingShare?: number | null;
  commitmentYear?: number | null;
  expectedVersion?: number | null;
}

async function addFunding(
  ctx: ProjectsContext,
  input: FundingArgs & { projectId: string | number },
  write: WriteOptions,
): Promise<FundingPayload> {
  const caller = authorizeWrite(ctx.caller, WRITE_SCOPE);
  const first = await replayIdempotent<Omit<FundingPayload, 'errors'>>(ctx.prisma, PROJECT_FEED, write);
  if (first) return { ...first.value, errors: [] };
  const projectId = String(input.projectId);
  const project = await ctx.prisma.project.findUnique({ where: { id: projectId } });
  if (!project) return failed(notFound('input.projectId', 'project', projectId));
  authorizeWrite(ctx.caller, WRITE_SCOPE, [project.districtCode]);
  const draft = {
    programmeCode: String(input.programmeCode),
    amountCents: input.amountCents!,
    coFinancingShare: input.coFinancingShare!,
    commitmentYear: input.commitmentYear!,
  };
  const programme = await ctx.prisma.fundingProgramme.findUnique({ where: { code: draft.programmeCode } });
  const errors = validateFunding(draft, programme !== null);
  if (errors.length > 0) return failed(...errors);
  const result = await refusableWrite(() =>
    writeTransaction(ctx.prisma, PROJECT_FEED, write, async (tx, changes) => {
      await changes.track('PROJECT', projectId);
      await bumpProjectVersion(
        tx,
        projectId,
        { expected: input.expectedVersion, read: project.version },
        'input.expectedVersion',
        caller.subject,
      );
      const funding = await tx.funding.create({
        data: { projectId, ...draft, coFinancingShare: new Prisma.Decimal(draft.coFinancingShare.toFixed(4)) },
      });
      changes.created('FUNDING', String(funding.id));
      await refuseTotalBeyondExactCents(tx);
      return { funding, project: await tx.project.findUniqueOrThrow({ where: { id: projectId } }) };
    }),
  );
  return isRefused(result) ? failed(...result) : { ...result, errors: [] };
}

async function updateFunding(
  ctx: ProjectsContext,
  input: FundingArgs & { id: string | number },
  write: WriteOptions,
): Promise<FundingPayload> {
  const caller = authorizeWrite(ctx.caller, WRITE_SCOPE);
  const first = await replayIdempotent<Omit<FundingPayload, 'errors'>>(ctx.prisma, PROJECT_FEED, write);
  if (first) return { ...first.value, errors: [] };
  const id = serialKey(input.id);
  // The project's version first, then the commitment: a change in between shows as a newer version
  // at the transaction (StaleRead), so the values merged below are never older than that version.
  const located = id === null ? null : await ctx.prisma.funding.findUnique({ where: { id }, select: { projectId: true } });
  const project = located && (await ctx.prisma.project.findUnique({ where: { id: located.projectId } }));
  const stored = id !== null && project ? await ctx.prisma.funding.findUnique({ where: { id } }) : null;
  if (id === null || !project || !stored) return failed(notFound('input.id', 'funding', String(input.id)));
  authorizeWrite(ctx.caller, WRITE_SCOPE, [project.districtCode]);
  const draft = {
    programmeCode: input.programmeCode != null ? String(input.programmeCode) : stored.programmeCode,
    amountCents: input.amountCents ?? stored.amountCents,
    coFinancingShare: input.coFinancingShare ?? stored.coFinancingShare.toNumber(),
    commitmentYear: input.commitmentYear ?? stored.commitmentYear,
  };
  const programmeKnown =
    draft.programmeCode === stored.programmeCode ||
    (await ctx.prisma.fundingProgramme.findUnique({ where: { code: draft.programmeCode } })) !== null;
  const errors = validateFunding(draft, programmeKnown);
  if (errors.length > 0) return failed(...errors);
  const result = await refusableWrite(() =>
    writeTransaction(ctx.prisma, PROJECT_FEED, write, async (tx, changes) => {
      await changes.track('PROJECT', project.id);
      await changes.track('FUNDING', String(id));
      await bumpProjectVersion(
        tx,
        project.id,
        { expected: input.expectedVersion, read: project.version },
        'input.expectedVersion',
        caller.subject,
      );
      const funding = await tx.funding.update({
        where: { id },
        data: { ...draft, coFinancingShare: new Prisma.Decimal(draft.coFinancingShare.toFixed(4)) },
      });
      await refuseTotalBeyondExactCents(tx);
      return { funding, project: await tx.project.findUniqueOrThrow({ where: { id: project.id } }) };
    }),
  );
  return isRefused(result) ? failed(...result) : { ...result, errors: [] };
}

/**
 * The first answer of a deleteProject call as stored for its idempotency key: the project with its
 * rows (ProjectRows), or, from before the rows were kept, its row alone.
 */
type DeletionAnswer = ProjectRows | ProjectRow;

function projectShownAsItWas(ctx: ProjectsContext, answer: DeletionAnswer): ProjectRow {
  // The payload's fields read through the loaders, which now find no rows of a deleted project.
  return 'regions' in answer ? primeProjectRows(ctx.loaders, answer) : answer;
}

async function deleteProject(
  ctx: ProjectsContext,
  idArgument: string | number,
  expectedVersion: number,
  write: WriteOptions,
): Promise<ProjectPayload> {
  authorizeWrite(ctx.caller, WRITE_SCOPE);
  const first = await replayIdempotent<DeletionAnswer>(ctx.prisma, PROJECT_FEED, write);
  if (first) return { project: projectShownAsItWas(ctx, first.value), errors: [] };
  const id = String(idArgument);
  const stored = await ctx.prisma.project.findUnique({ where: { id } });
  if (!stored) return failed(notFound('id', 'project', id));
  authorizeWrite(ctx.caller, WRITE_SCOPE, [stored.districtCode]);
  const result = await refusableWrite(() =>
    writeTransaction<ProjectEntity, DeletionAnswer>(ctx.prisma, PROJECT_FEED, write, async (tx, changes) => {
      // Read in the transaction: a change committed since `stored` makes the delete below a conflict.
      const rows = await readProjectRows(tx, stored);
      await changes.track('PROJECT', id);
      await changes.track('FUNDING', ...rows.fundings.map((funding) => String(funding.id)));
      // The version condition makes deleting a record someone else just changed a VERSION_CONFLICT.
      await deleteVersioned(tx.project, id, { expected: expectedVersion, read: stored.version, field: 'expectedVersion', what: 'project' });
      return rows;
    }),
  );
  return isRefused(result) ? failed(...result) : { project: projectShownAsItWas(ctx, result), errors: [] };
}

builder.mutationFields((t) => ({
  createProject: t.field({
    type: ProjectPayloadType,
    description: 'Creates a project (scope projects:write; a district-bound editor only in their district).',
    args: {
      input: t.arg({ type: CreateProjectInput, required: true, description: 'The new project.' }),
      idempotencyKey: t.arg.string({ required: false, description: IDEMPOTENCY_KEY_DESCRIPTION }),
    },
    resolve: (_root, { idempotencyKey, ...args }, ctx) =>
      createProject(ctx, args.input, writeOptions(ctx.caller, idempotencyKey, 'createProject', args)),
  }),
  updateProject: t.field({
    type: ProjectPayloadType,
    description: 'Changes a project if it still has expectedVersion (scope projects:write; district-bound editors only their district).',
    args: {
      input: t.arg({ type: UpdateProjectInput, required: true, description: 'The changes.' }),
      idempotencyKey: t.arg.string({ required: false, description: IDEMPOTENCY_KEY_DESCRIPTION }),
    },
    resolve: (_root, { idempotencyKey, ...args }, ctx) =>
      retryStaleReads(() => updateProject(ctx, args.input, writeOptions(ctx.caller, idempotencyKey, 'updateProject', args)), failed),
  }),
  changeProjectStatus: t.field({
    type: ProjectPayloadType,
    description: 'Moves a project to another status: PLANNED → RUNNING → COMPLETED, or PLANNED/RUNNING → CANCELLED.',
    args: {
      id: t.arg.id({ required: true, description: 'The project.' }),
      status: t.arg({ type: ProjectStatusEnum, required: true, description: 'The new status.' }),
      expectedVersion: t.arg.int({ required: true, description: 'The version you read.' }),
      idempotencyKey: t.arg.string({ required: false, description: IDEMPOTENCY_KEY_DESCRIPTION }),
    },
    resolve: (_root, { idempotencyKey, ...args }, ctx) =>
      retryStaleReads(
        () =>
          changeProjectStatus(
            ctx,
            args.id,
            args.status,
            args.expectedVersion,
            writeOptions(ctx.caller, idempotencyKey, 'changeProjectStatus', args),
          ),
        failed,
      ),
  }),
  deleteProject: t.field({
    type: ProjectPayloadType,
    description:
      'Deletes a project with its regions, findings, documents and funding if it still has expectedVersion; the change feed keeps a tombstone. ' +
      'The payload shows the project as it was, with its regions, findings, documents, indicators and funding, also when replayed by its idempotency key.',
    args: {
      id: t.arg.id({ required: true, description: 'The project.' }),
      expectedVersion: t.arg.int({ required: true, description: 'The version you read.' }),
      idempotencyKey: t.arg.string({ required: false, description: IDEMPOTENCY_KEY_DESCRIPTION }),
    },
    resolve: (_root, { idempotencyKey, ...args }, ctx) =>
      retryStaleReads(
        () => deleteProject(ctx, args.id, args.expectedVersion, writeOptions(ctx.caller, idempotencyKey, 'deleteProject', args)),
        failed,
      ),
  }),
  addFunding: t.field({
    type: FundingPayloadType,
    description: 'Adds a funding commitment to a project; the project’s version increments.',
    args: {
      input: t.arg({ type: AddFundingInput, required: true, description: 'The commitment.' }),
      idempotencyKey: t.arg.string({ required: false, description: IDEMPOTENCY_KEY_DESCRIPTION }),
    },
    resolve: (_root, { idempotencyKey, ...args }, ctx) =>
      retryStaleReads(() => addFunding(ctx, args.input, writeOptions(ctx.caller, idempotencyKey, 'addFunding', args)), failed),
  }),
  updateFunding: t.field({
    type: FundingPayloadType,
    description: 'Changes a funding commitment; the project’s version increments.',
    args: {
      input: t.arg({ type: UpdateFundingInput, required: true, description: 'The changes.' }),
      idempotencyKey: t.arg.string({ required: false, description: IDEMPOTENCY_KEY_DESCRIPTION }),
    },
    resolve: (_root, { idempotencyKey, ...args }, ctx) =>
      retryStaleReads(() => updateFunding(ctx, args.input, writeOptions(ctx.caller, idempotencyKey, 'updateFunding', args)), failed),
  }),
}));

/**
 * A project's source when its editor states none: the role and the office, never the person. The
 * source is public (the API, the CSV export), and an editor's token name and subject are personal
 * data (docs/privacy.md); who wrote a record stays in the change feed, for callers with audit:read.
 */
export function apiEntrySource(caller: Pick<Caller, 'district'>): string {
  if (caller.district === null) return 'Entered via the RegioGraph API by a state-wide editor';
  const office = regionCatalogue().get(caller.district);
  return `Entered via the RegioGraph API by an editor of the Amt für regionale Landesentwicklung ${office?.name ?? caller.district} (${caller.district})`;
}
