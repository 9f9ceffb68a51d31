import { testBearer } from '@regiograph/shared/testing';
import { createServer as createProjectsServer } from '@regiograph/projects';
import { holdTransaction, nextRecordKey, untilALockIsAwaited, type SubgraphServer } from '@regiograph/subgraph-kit';
import { COOPERATION_FEED } from './change-feed';
import { createServer, seedIfEmpty } from './server';
import { postGraphQL } from './testing/client';

let server: SubgraphServer;
let url: string;
let projects: SubgraphServer;
let projectsUrl: string;
/** How many times the server asked projects: once per question (references.ts reads the peer's URL for each). */
let asks = 0;
/** The same subgraph told no projects subgraph: it refuses what it would have to ask projects about. */
let blind: SubgraphServer;
let blindUrl: string;

beforeAll(async () => {
  // Deletes and founding days that move later ask projects: a real projects server on the same
  // database answers, and asks this server about the carriers of the projects the tests create.
  server = await createServer({
    databaseUrl: process.env.TEST_DATABASE_URL!,
    peerUrl: (name) => {
      if (name === 'projects') asks += 1;
      return name === 'projects' ? projectsUrl : undefined;
    },
  });
  await seedIfEmpty(server.database);
  url = (await server.listen(0)).url;
  projects = await createProjectsServer({
    databaseUrl: process.env.TEST_DATABASE_URL!,
    peerUrl: (name) => (name === 'cooperations' ? url : undefined),
  });
  projectsUrl = (await projects.listen(0)).url;
  blind = await createServer({ databaseUrl: process.env.TEST_DATABASE_URL! });
  blindUrl = (await blind.listen(0)).url;
});

afterAll(async () => {
  await blind?.close();
  await server?.close();
  await projects?.close();
});

const STATE_EDITOR = testBearer({ sub: 'state-editor', scopes: ['cooperations:write'] });
const LEINE_WESER_EDITOR = testBearer({ sub: 'lw-editor', scopes: ['cooperations:write'], district: '032' });
const PROJECTS_EDITOR = testBearer({ sub: 'projects-editor', scopes: ['projects:write'] });

interface FieldError {
  field: string;
  code: string;
  message: string;
}

interface CooperationResult {
  id: string;
  name: string;
  version: number;
  status: string;
  members: { id: string; regionCode: string; role: string; validFrom: string; validUntil: string | null }[];
}

const COOPERATION_FIELDS = 'id name version status members { id regionCode role validFrom validUntil }';

const CREATE = `mutation ($input: CreateCooperationInput!) { createCooperation(input: $input) {
  cooperation { ${COOPERATION_FIELDS} } errors { field code message } } }`;
const UPDATE = `mutation ($input: UpdateCooperationInput!) { updateCooperation(input: $input) {
  cooperation { ${COOPERATION_FIELDS} } errors { field code message } } }`;
const ADD = `mutation ($input: AddCooperationMembershipInput!) { addMembership(input: $input) {
  membership { id regionCode role validFrom validUntil } cooperation { version } errors { field code message } } }`;
const END = `mutation ($input: EndCooperationMembershipInput!) { endMembership(input: $input) {
  membership { id validUntil } cooperation { version } errors { field code message } } }`;

type CreatePayload = { createCooperation: { cooperation: CooperationResult | null; errors: FieldError[] } };
type UpdatePayload = { updateCooperation: { cooperation: CooperationResult | null; errors: FieldError[] } };
type MembershipPayload<K extends string> = Record<
  K,
  { membership: { id: string; validUntil: string | null } | null; cooperation: { version: number } | null; errors: FieldError[] }
>;

function validInput(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Testkooperation Weserbogen',
    kind: 'INTER_MUNICIPAL',
    description: 'Created by a test.',
    founded: '2020-01-01',
    members: [
      { regionCode: '032560022022', role: 'LEAD', validFrom: '2020-01-01' },
      { regionCode: '032565406', validFrom: '2020-01-01' },
    ],
    ...overrides,
  };
}

async function create(headers: Record<string, string>, overrides: Record<string, unknown> = {}) {
  return postGraphQL<CreatePayload>(url, CREATE, { input: validInput(overrides) }, headers);
}

async function cooperationCount(): Promise<number> {
  return server.database.prisma.cooperation.count();
}

describe('authentication and authorization', () => {
  it('refuses anonymous callers with UNAUTHENTICATED and writes nothing', async () => {
    const before = await cooperationCount();
    const result = await create({});
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(result.data?.createCooperation ?? null).toBeNull();
    expect(await cooperationCount()).toBe(before);
  });

  it('refuses a forged or malformed token with UNAUTHENTICATED', async () => {
    const forged = STATE_EDITOR.authorization!.slice(0, -4) + 'AAAA';
    expect((await create({ authorization: forged })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await create({ authorization: 'Basic abc' })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('still answers reads when a token is broken, since reads need none', async () => {
    const result = await postGraphQL(url, '{ offices { seat } }', {}, { authorization: 'Bearer not.a.token' });
    expect(result.errors).toBeUndefined();
  });

  it('refuses callers without the cooperations:write scope with FORBIDDEN', async () => {
    const result = await create(PROJECTS_EDITOR);
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(result.errors?.[0]?.extensions?.requiredScope).toBe('cooperations:write');
  });

  it('lets a district editor write cooperations whose members all lie in the district', async () => {
    const result = await create(LEINE_WESER_EDITOR);
    expect(result.errors).toBeUndefined();
    expect(result.data!.createCooperation.errors).toEqual([]);
    const cooperation = result.data!.createCooperation.cooperation!;
    expect(cooperation.id).toMatch(/^C-\d{3,}$/);
    expect(cooperation.version).toBe(1);
    expect(cooperation.members.map((member) => member.regionCode)).toEqual(['032560022022', '032565406']);
  });

  it('refuses a district editor members outside the district, and cooperations reaching beyond it', async () => {
    const outside = await create(LEINE_WESER_EDITOR, {
      members: [
        { regionCode: '03256', validFrom: '2020-01-01' },
        { regionCode: '03361', validFrom: '2020-01-01' },
      ],
    });
    expect(outside.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const crossing = (
      await create(STATE_EDITOR, {
        members: [
          { regionCode: '03256', validFrom: '2020-01-01' },
          { regionCode: '03361', validFrom: '2020-01-01' },
        ],
      })
    ).data!.createCooperation.cooperation!;
    const update = await postGraphQL<UpdatePayload>(
      url,
      UPDATE,
      { input: { id: crossing.id, expectedVersion: 1, name: 'Renamed' } },
      LEINE_WESER_EDITOR,
    );
    expect(update.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const add = await postGraphQL(
      url,
      ADD,
      { input: { cooperationId: crossing.id, regionCode: '03257', validFrom: '2021-01-01' } },
      LEINE_WESER_EDITOR,
    );
    expect(add.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const stateWide = await postGraphQL<UpdatePayload>(
      url,
      UPDATE,
      { input: { id: crossing.id, expectedVersion: 1, name: 'Renamed' } },
      STATE_EDITOR,
    );
    expect(stateWide.data!.updateCooperation.cooperation!.name).toBe('Renamed');
  });

  it('refuses a district editor adding a member from another district to its own cooperation', async () => {
    const own = (await create(LEINE_WESER_EDITOR)).data!.createCooperation.cooperation!;
    const add = await postGraphQL(
      url,
      ADD,
      { input: { cooperationId: own.id, regionCode: '03361', validFrom: '2021-01-01' } },
      LEINE_WESER_EDITOR,
    );
    expect(add.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('validation', () => {
  it('reports every field error at once and writes nothing', async () => {
    const before = await cooperationCount();
    const result = await create(STATE_EDITOR, {
      name: '   ',
      website: 'ftp://example.org',
      status: 'DISSOLVED',
      members: [
        { regionCode: '03999', validFrom: '2020-01-01' },
        { regionCode: '03256', validFrom: '2021-01-01', validUntil: '2020-12-31' },
      ],
    });
    expect(result.errors).toBeUndefined();
    const payload = result.data!.createCooperation;
    expect(payload.cooperation).toBeNull();
    expect(payload.errors.map(({ field, code }) => ({ field, code }))).toEqual([
      { field: 'input.name', code: 'REQUIRED' },
      { field: 'input.website', code: 'INVALID' },
      { field: 'input.dissolvedOn', code: 'INVALID' },
      { field: 'input.members[0].regionCode', code: 'UNKNOWN_REGION' },
      { field: 'input.members[1].validUntil', code: 'OUT_OF_RANGE' },
    ]);
    expect(payload.errors.every((error) => error.message.length > 0)).toBe(true);
    expect(await cooperationCount()).toBe(before);
  });

  it('refuses an empty member list, duplicate members and impossible dates', async () => {
    const empty = (await create(STATE_EDITOR, { members: [] })).data!.createCooperation.errors;
    expect(empty).toEqual([expect.objectContaining({ field: 'input.members', code: 'REQUIRED' })]);
    const duplicate = (
      await create(STATE_EDITOR, {
        members: [
          { regionCode: '03256', validFrom: '2020-01-01' },
          { regionCode: '03256', validFrom: '2020-06-01' },
        ],
      })
    ).data!.createCooperation.errors;
    expect(duplicate).toEqual([expect.objectContaining({ field: 'input.members[1].regionCode', code: 'INVALID' })]);
    // An impossible day is refused by the Date scalar, like a malformed one, before anything runs.
    const before = await cooperationCount();
    const impossible = await create(STATE_EDITOR, { founded: '2021-02-30' });
    expect(impossible.data?.createCooperation).toBeUndefined();
    expect(impossible.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(impossible.errors?.[0]?.message).toContain('Date must be a calendar date');
    expect(await cooperationCount()).toBe(before);
  });
});

describe('a founding day the sources do not give', () => {
  it('stays unknown: the other fields of such a record stay editable, while leaving PLANNED still needs one', async () => {
    const prisma = server.database.prisma;
    // As the real records whose sources give no founding day (most Zukunftsregionen): ACTIVE, unknown.
    const created = (await create(STATE_EDITOR)).data!.createCooperation.cooperation!;
    await prisma.cooperation.update({ where: { id: created.id }, data: { founded: null } });
    const edited = await postGraphQL<UpdatePayload>(
      url,
      UPDATE,
      { input: { id: created.id, expectedVersion: 1, description: 'Edited without a founding day.' } },
      STATE_EDITOR,
    );
    expect(edited.data!.updateCooperation.errors).toEqual([]);
    expect(await prisma.cooperation.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({
      founded: null,
      description: 'Edited without a founding day.',
      version: 2,
    });
    const cleared = await postGraphQL<UpdatePayload>(
      url,
      UPDATE,
      { input: { id: created.id, expectedVersion: 2, founded: null } },
      STATE_EDITOR,
    );
    expect(cleared.data!.updateCooperation.errors).toEqual([expect.objectContaining({ field: 'input.founded', code: 'INVALID' })]);
    const planned = (await create(STATE_EDITOR, { status: 'PLANNED', founded: null })).data!.createCooperation.cooperation!;
    const activated = await postGraphQL<UpdatePayload>(
      url,
      UPDATE,
      { input: { id: planned.id, expectedVersion: 1, status: 'ACTIVE' } },
      STATE_EDITOR,
    );
    expect(activated.data!.updateCooperation.errors).toEqual([expect.objectContaining({ field: 'input.founded', code: 'INVALID' })]);
  });
});

describe('versions and memberships', () => {
  it('updates with the current version, refuses a stale one with VERSION_CONFLICT', async () => {
    const created = (await create(STATE_EDITOR)).data!.createCooperation.cooperation!;
    const first = await postGraphQL<UpdatePayload>(
      url,
      UPDATE,
      { input: { id: created.id, expectedVersion: 1, name: 'Neuer Name' } },
      STATE_EDITOR,
    );
    expect(first.data!.updateCooperation.cooperation).toMatchObject({ name: 'Neuer Name', version: 2 });
    const stale = await postGraphQL<UpdatePayload>(
      url,
      UPDATE,
      { input: { id: created.id, expectedVersion: 1, name: 'Zu spät' } },
      STATE_EDITOR,
    );
    expect(stale.data!.updateCooperation.cooperation).toBeNull();
    expect(stale.data!.updateCooperation.errors).toEqual([
      {
        field: 'input.expectedVersion',
        code: 'VERSION_CONFLICT',
        message: 'the cooperation was changed by someone else; its current version is 2',
      },
    ]);
    const stored = await server.database.prisma.cooperation.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.name).toBe('Neuer Name');
    expect(stored.version).toBe(2);
    const missing = await postGraphQL<UpdatePayload>(url, UPDATE, { input: { id: 'C-9999', expectedVersion: 1, name: 'x' } }, STATE_EDITOR);
    expect(missing.data!.updateCooperation.errors).toEqual([expect.objectContaining({ field: 'input.id', code: 'NOT_FOUND' })]);
  });

  it('validates lifecycle changes against the stored record', async () => {
    const created = (await create(STATE_EDITOR)).data!.createCooperation.cooperation!;
    const dissolvedEarly = await postGraphQL<UpdatePayload>(
      url,
      UPDATE,
      { input: { id: created.id, expectedVersion: 1, status: 'DISSOLVED', dissolvedOn: '2019-12-31' } },
      STATE_EDITOR,
    );
    expect(dissolvedEarly.data!.updateCooperation.errors).toEqual([
      expect.objectContaining({ field: 'input.dissolvedOn', code: 'OUT_OF_RANGE' }),
    ]);
    const dissolved = await postGraphQL<UpdatePayload>(
      url,
      UPDATE,
      { input: { id: created.id, expectedVersion: 1, status: 'DISSOLVED', dissolvedOn: '2023-06-30' } },
      STATE_EDITOR,
    );
    expect(dissolved.data!.updateCooperation.cooperation).toMatchObject({ status: 'DISSOLVED', version: 2 });
  });

  it('adds and ends memberships, bumping the version, and the region sees the change', async () => {
    const created = (await create(LEINE_WESER_EDITOR)).data!.createCooperation.cooperation!;
    const added = await postGraphQL<MembershipPayload<'addMembership'>>(
      url,
      ADD,
      { input: { cooperationId: created.id, expectedVersion: 1, regionCode: '032565410', validFrom: '2022-01-01' } },
      LEINE_WESER_EDITOR,
    );
    expect(added.data!.addMembership.errors).toEqual([]);
    expect(added.data!.addMembership.membership!.id).toBe(`${created.id}.3`);
    expect(added.data!.addMembership.cooperation!.version).toBe(2);

    const overlapping = await postGraphQL<MembershipPayload<'addMembership'>>(
      url,
      ADD,
      { input: { cooperationId: created.id, regionCode: '032565410', validFrom: '2023-01-01' } },
      LEINE_WESER_EDITOR,
    );
    expect(overlapping.data!.addMembership.errors).toEqual([expect.objectContaining({ field: 'input.regionCode', code: 'INVALID' })]);
    const unknown = await postGraphQL<MembershipPayload<'addMembership'>>(
      url,
      ADD,
      { input: { cooperationId: created.id, regionCode: '032569999', validFrom: '2023-01-01' } },
      LEINE_WESER_EDITOR,
    );
    expect(unknown.data!.addMembership.errors).toEqual([expect.objectContaining({ field: 'input.regionCode', code: 'UNKNOWN_REGION' })]);

    const membershipId = added.data!.addMembership.membership!.id;
    const tooEarly = await postGraphQL<MembershipPayload<'endMembership'>>(
      url,
      END,
      { input: { membershipId, validUntil: '2021-12-31' } },
      LEINE_WESER_EDITOR,
    );
    expect(tooEarly.data!.endMembership.errors).toEqual([expect.objectContaining({ field: 'input.validUntil', code: 'OUT_OF_RANGE' })]);
    const stale = await postGraphQL<MembershipPayload<'endMembership'>>(
      url,
      END,
      { input: { membershipId, expectedVersion: 1, validUntil: '2023-12-31' } },
      LEINE_WESER_EDITOR,
    );
    expect(stale.data!.endMembership.errors).toEqual([
      expect.objectContaining({ field: 'input.expectedVersion', code: 'VERSION_CONFLICT' }),
    ]);
    expect((await server.database.prisma.cooperationMembership.findUniqueOrThrow({ where: { id: membershipId } })).validUntil).toBeNull();
    const ended = await postGraphQL<MembershipPayload<'endMembership'>>(
      url,
      END,
      { input: { membershipId, expectedVersion: 2, validUntil: '2023-12-31' } },
      LEINE_WESER_EDITOR,
    );
    expect(ended.data!.endMembership.membership).toEqual({ id: membershipId, validUntil: '2023-12-31' });
    expect(ended.data!.endMembership.cooperation!.version).toBe(3);
    const unknownMembership = await postGraphQL<MembershipPayload<'endMembership'>>(
      url,
      END,
      { input: { membershipId: 'C-001.99', validUntil: '2024-12-31' } },
      STATE_EDITOR,
    );
    expect(unknownMembership.data!.endMembership.errors).toEqual([
      expect.objectContaining({ field: 'input.membershipId', code: 'NOT_FOUND' }),
    ]);
    const again = await postGraphQL<MembershipPayload<'endMembership'>>(
      url,
      END,
      { input: { membershipId, validUntil: '2024-12-31' } },
      LEINE_WESER_EDITOR,
    );
    expect(again.data!.endMembership.errors).toEqual([
      expect.objectContaining({ field: 'input.membershipId', code: 'INVALID_TRANSITION' }),
    ]);

    const region = await postGraphQL<{ _entities: { during: { id: string }[]; after: { id: string }[] }[] }>(
      url,
      `{ _entities(representations: [{ __typename: "Region", code: "032565410" }]) { ... on Region {
        during: cooperations(activeOn: "2023-06-01") { id } after: cooperations(activeOn: "2024-06-01") { id } } } }`,
    );
    expect(region.data!._entities[0]!.during.map((c) => c.id)).toContain(created.id);
    expect(region.data!._entities[0]!.after.map((c) => c.id)).not.toContain(created.id);
  });
});

describe('membership writes without a version, while another writer changes the cooperation', () => {
  // The other writer's transaction is held open after its change, so the write under test reads the
  // state before it, then waits for its row lock; only then does the other one commit.
  async function whileAnotherWriterHolds<T>(change: Parameters<typeof holdTransaction>[1], write: () => Promise<T>): Promise<T> {
    const prisma = server.database.prisma;
    const other = holdTransaction(prisma, change);
    await other.holding;
    let answered = false;
    const answer = write().finally(() => (answered = true));
    await untilALockIsAwaited(prisma, () => answered);
    other.release();
    await other.done;
    return answer;
  }

  it('adds no membership that overlaps one committed meanwhile: the check runs again on the fresh state', async () => {
    const created = (await create(STATE_EDITOR)).data!.createCooperation.cooperation!;
    const added = await whileAnotherWriterHolds(
      async (tx) => {
        await tx.cooperation.update({ where: { id: created.id }, data: { version: { increment: 1 } } });
        await tx.cooperationMembership.create({
          data: {
            id: `${created.id}.3`,
            cooperationId: created.id,
            regionCode: '032565410',
            role: 'MEMBER',
            validFrom: new Date('2021-01-01'),
          },
        });
      },
      () =>
        postGraphQL<MembershipPayload<'addMembership'>>(
          url,
          ADD,
          { input: { cooperationId: created.id, regionCode: '032565410', validFrom: '2022-01-01' } },
          STATE_EDITOR,
        ),
    );
    expect(added.data!.addMembership.errors).toEqual([
      {
        field: 'input.regionCode',
        code: 'INVALID',
        message: `032565410 is already a member of ${created.id} in an overlapping period.`,
      },
    ]);
    const members = await server.database.prisma.cooperationMembership.findMany({
      where: { cooperationId: created.id, regionCode: '032565410' },
    });
    expect(members.map((member) => member.id)).toEqual([`${created.id}.3`]);
  });

  it('does not end a membership again that was ended meanwhile, and keeps the first end day', async () => {
    const created = (await create(STATE_EDITOR)).data!.createCooperation.cooperation!;
    const membershipId = created.members[1]!.id;
    const ended = await whileAnotherWriterHolds(
      async (tx) => {
        await tx.cooperation.update({ where: { id: created.id }, data: { version: { increment: 1 } } });
        await tx.cooperationMembership.update({ where: { id: membershipId }, data: { validUntil: new Date('2023-12-31') } });
      },
      () => postGraphQL<MembershipPayload<'endMembership'>>(url, END, { input: { membershipId, validUntil: '2024-06-30' } }, STATE_EDITOR),
    );
    expect(ended.data!.endMembership.errors).toEqual([
      { field: 'input.membershipId', code: 'INVALID_TRANSITION', message: `membership ${membershipId} already ended on 2023-12-31.` },
    ]);
    const stored = await server.database.prisma.cooperationMembership.findUniqueOrThrow({ where: { id: membershipId } });
    expect(stored.validUntil).toEqual(new Date('2023-12-31'));
  });

  it('applies a write on top of a change committed meanwhile, when the change does not stand in its way', async () => {
    const created = (await create(STATE_EDITOR)).data!.createCooperation.cooperation!;
    const added = await whileAnotherWriterHolds(
      async (tx) => {
        await tx.cooperation.update({ where: { id: created.id }, data: { version: { increment: 1 }, description: 'Changed meanwhile.' } });
      },
      () =>
        postGraphQL<MembershipPayload<'addMembership'>>(
          url,
          ADD,
          { input: { cooperationId: created.id, regionCode: '032565410', validFrom: '2022-01-01' } },
          STATE_EDITOR,
        ),
    );
    expect(added.data!.addMembership.errors).toEqual([]);
    expect(added.data!.addMembership.cooperation!.version).toBe(3);
    const stored = await server.database.prisma.cooperation.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored).toMatchObject({ version: 3, description: 'Changed meanwhile.' });
  });
});

describe('date rules: every write keeps a membership within its cooperation’s life', () => {
  type AddPayload = MembershipPayload<'addMembership'>['addMembership'];
  type EndPayload = MembershipPayload<'endMembership'>['endMembership'];

  const codesOf = (errors: FieldError[]) => errors.map(({ field, code }) => ({ field, code }));

  async function update(input: Record<string, unknown>): Promise<UpdatePayload['updateCooperation']> {
    const { data, errors } = await postGraphQL<UpdatePayload>(url, UPDATE, { input }, STATE_EDITOR);
    expect(errors).toBeUndefined();
    return data!.updateCooperation;
  }

  async function addMember(input: Record<string, unknown>): Promise<AddPayload> {
    const { data, errors } = await postGraphQL<MembershipPayload<'addMembership'>>(url, ADD, { input }, STATE_EDITOR);
    expect(errors).toBeUndefined();
    return data!.addMembership;
  }

  async function endMember(input: Record<string, unknown>): Promise<EndPayload> {
    const { data, errors } = await postGraphQL<MembershipPayload<'endMembership'>>(url, END, { input }, STATE_EDITOR);
    expect(errors).toBeUndefined();
    return data!.endMembership;
  }

  async function stored(id: string) {
    const prisma = server.database.prisma;
    return {
      version: (await prisma.cooperation.findUniqueOrThrow({ where: { id } })).version,
      members: (await prisma.cooperationMembership.findMany({ where: { cooperationId: id }, orderBy: { id: 'asc' } })).map((m) => [
        m.id,
        m.validFrom.toISOString().slice(0, 10),
        m.validUntil?.toISOString().slice(0, 10) ?? null,
      ]),
    };
  }

  it('createCooperation: no member starts before the founding day or after the last day, nor ends after it', async () => {
    const before = await cooperationCount();
    const early = (await create(STATE_EDITOR, { members: [{ regionCode: '03256', validFrom: '2019-12-31' }] })).data!.createCooperation;
    expect(early.errors).toEqual([
      {
        field: 'input.members[0].validFrom',
        code: 'OUT_OF_RANGE',
        message: "must not be before the cooperation's founding day (2020-01-01).",
      },
    ]);
    const dissolved = { status: 'DISSOLVED', dissolvedOn: '2023-12-31' };
    const outside = await create(STATE_EDITOR, {
      ...dissolved,
      members: [
        { regionCode: '03256', validFrom: '2024-01-01' },
        { regionCode: '03257', validFrom: '2020-01-01', validUntil: '2024-01-01' },
      ],
    });
    expect(outside.data!.createCooperation.errors).toEqual([
      {
        field: 'input.members[0].validFrom',
        code: 'OUT_OF_RANGE',
        message: "must not be after the cooperation's last day, dissolvedOn (2023-12-31).",
      },
      {
        field: 'input.members[1].validUntil',
        code: 'OUT_OF_RANGE',
        message: "must not be after the cooperation's last day, dissolvedOn (2023-12-31).",
      },
    ]);
    expect(await cooperationCount()).toBe(before);
    // An open member of a dissolved cooperation ends with it; one that ended before keeps its day.
    const created = await create(STATE_EDITOR, {
      ...dissolved,
      members: [
        { regionCode: '03256', validFrom: '2020-01-01' },
        { regionCode: '03257', validFrom: '2020-01-01', validUntil: '2021-06-30' },
      ],
    });
    expect(created.data!.createCooperation.errors).toEqual([]);
    expect(created.data!.createCooperation.cooperation!.members.map((m) => [m.regionCode, m.validUntil])).toEqual([
      ['03256', '2023-12-31'],
      ['03257', '2021-06-30'],
    ]);
  });

  it('createCooperation and addMembership: no member before its region’s key existed', async () => {
    const before = await cooperationCount();
    const early = await create(STATE_EDITOR, {
      founded: '2010-01-01',
      members: [
        { regionCode: '03159', role: 'LEAD', validFrom: '2015-01-01' },
        { regionCode: '03155', validFrom: '2010-01-01' },
      ],
    });
    expect(early.data!.createCooperation.errors).toEqual([
      {
        field: 'input.members[0].validFrom',
        code: 'OUT_OF_RANGE',
        message: 'must not be before 03159 existed (its key since 2016-11-01).',
      },
    ]);
    expect(await cooperationCount()).toBe(before);
    const created = (
      await create(STATE_EDITOR, {
        founded: '2010-01-01',
        members: [{ regionCode: '03155', role: 'LEAD', validFrom: '2010-01-01' }],
      })
    ).data!.createCooperation.cooperation!;
    const walsrode = await addMember({ cooperationId: created.id, regionCode: '033580024024', validFrom: '2019-06-01' });
    expect(codesOf(walsrode.errors)).toEqual([{ field: 'input.validFrom', code: 'OUT_OF_RANGE' }]);
    expect((await addMember({ cooperationId: created.id, regionCode: '033580024024', validFrom: '2020-01-01' })).errors).toEqual([]);
  });

  it('createCooperation and updateCooperation: a PLANNED cooperation has no founding day', async () => {
    const before = await cooperationCount();
    const planned = (await create(STATE_EDITOR, { status: 'PLANNED' })).data!.createCooperation;
    expect(codesOf(planned.errors)).toEqual([{ field: 'input.founded', code: 'INVALID' }]);
    expect(await cooperationCount()).toBe(before);
    const created = (
      await create(STATE_EDITOR, { status: 'PLANNED', founded: null, members: [{ regionCode: '03256', validFrom: '2027-01-01' }] })
    ).data!.createCooperation;
    expect(created.errors).toEqual([]);
    const id = created.cooperation!.id;
    expect(codesOf((await update({ id, expectedVersion: 1, founded: '2026-06-01' })).errors)).toEqual([
      { field: 'input.founded', code: 'INVALID' },
    ]);
    expect((await update({ id, expectedVersion: 1, status: 'ACTIVE', founded: '2026-06-01' })).cooperation).toMatchObject({
      status: 'ACTIVE',
      version: 2,
    });
    expect(codesOf((await update({ id, expectedVersion: 2, status: 'PLANNED' })).errors)).toEqual([
      { field: 'input.founded', code: 'INVALID' },
    ]);
    expect((await update({ id, expectedVersion: 2, status: 'PLANNED', founded: null })).cooperation).toMatchObject({
      status: 'PLANNED',
      version: 3,
    });
  });

  it('every write: the days lie in the years 1946–2100', async () => {
    const before = await cooperationCount();
    const refused = await create(STATE_EDITOR, {
      founded: '1945-12-31',
      status: 'DISSOLVED',
      dissolvedOn: '2101-01-01',
      members: [
        { regionCode: '03256', validFrom: '0001-01-01' },
        { regionCode: '03257', validFrom: '2020-01-01', validUntil: '9999-12-31' },
      ],
    });
    expect(codesOf(refused.data!.createCooperation.errors)).toEqual([
      { field: 'input.founded', code: 'OUT_OF_RANGE' },
      { field: 'input.dissolvedOn', code: 'OUT_OF_RANGE' },
      { field: 'input.members[0].validFrom', code: 'OUT_OF_RANGE' },
      { field: 'input.members[1].validUntil', code: 'OUT_OF_RANGE' },
    ]);
    expect(refused.data!.createCooperation.errors[0]!.message).toBe('must lie between 1946 and 2100');
    expect(await cooperationCount()).toBe(before);
    // The bounds themselves are days like any other.
    const created = (
      await create(STATE_EDITOR, {
        founded: '1946-01-01',
        members: [{ regionCode: '03256', validFrom: '1946-01-01', validUntil: '2100-12-31' }],
      })
    ).data!.createCooperation;
    expect(created.errors).toEqual([]);
    const id = created.cooperation!.id;
    expect(codesOf((await update({ id, expectedVersion: 1, founded: '1900-01-01' })).errors)).toEqual([
      { field: 'input.founded', code: 'OUT_OF_RANGE' },
    ]);
    expect(codesOf((await addMember({ cooperationId: id, regionCode: '03257', validFrom: '2101-01-01' })).errors)).toEqual([
      { field: 'input.validFrom', code: 'OUT_OF_RANGE' },
    ]);
    const added = await addMember({ cooperationId: id, regionCode: '03257', validFrom: '2000-01-01' });
    expect(added.errors).toEqual([]);
    expect(codesOf((await endMember({ membershipId: added.membership!.id, validUntil: '2101-01-01' })).errors)).toEqual([
      { field: 'input.validUntil', code: 'OUT_OF_RANGE' },
    ]);
    expect((await stored(id)).version).toBe(2);
  });

  it('addMembership: a new member starts within the life, and one of a dissolved cooperation ends with it', async () => {
    const { id } = (await create(STATE_EDITOR)).data!.createCooperation.cooperation!;
    const early = await addMember({ cooperationId: id, regionCode: '03256', validFrom: '2019-12-31' });
    expect(early.errors).toEqual([
      { field: 'input.validFrom', code: 'OUT_OF_RANGE', message: "must not be before the cooperation's founding day (2020-01-01)." },
    ]);
    expect((await update({ id, expectedVersion: 1, status: 'DISSOLVED', dissolvedOn: '2023-12-31' })).errors).toEqual([]);
    const late = await addMember({ cooperationId: id, regionCode: '03256', validFrom: '2030-01-01' });
    expect(late.errors).toEqual([
      {
        field: 'input.validFrom',
        code: 'OUT_OF_RANGE',
        message: "must not be after the cooperation's last day, dissolvedOn (2023-12-31).",
      },
    ]);
    const outlasting = await addMember({ cooperationId: id, regionCode: '03256', validFrom: '2022-01-01', validUntil: '2024-06-30' });
    expect(codesOf(outlasting.errors)).toEqual([{ field: 'input.validUntil', code: 'OUT_OF_RANGE' }]);
    expect((await stored(id)).members).toHaveLength(2);
    const open = await addMember({ cooperationId: id, regionCode: '03256', validFrom: '2022-01-01' });
    expect(open.errors).toEqual([]);
    expect(open.membership).toMatchObject({ validFrom: '2022-01-01', validUntil: '2023-12-31' });
    expect(open.cooperation!.version).toBe(3);
  });

  it('updateCooperation: new days keep every membership within the life, and dissolving ends those still running', async () => {
    const { id } = (await create(STATE_EDITOR)).data!.createCooperation.cooperation!;
    expect((await addMember({ cooperationId: id, regionCode: '03256', validFrom: '2022-01-01', validUntil: '2022-12-31' })).errors).toEqual(
      [],
    );
    expect((await addMember({ cooperationId: id, regionCode: '03257', validFrom: '2021-01-01', validUntil: '2030-12-31' })).errors).toEqual(
      [],
    );
    const before = await stored(id);
    const lateFounding = await update({ id, expectedVersion: 3, founded: '2020-06-01' });
    expect(lateFounding.errors).toEqual([
      {
        field: 'input.founded',
        code: 'OUT_OF_RANGE',
        message: `must not be after the first day of membership ${id}.1 (2020-01-01): no member joins before the founding.`,
      },
    ]);
    const earlyEnd = await update({ id, expectedVersion: 3, status: 'DISSOLVED', dissolvedOn: '2021-12-31' });
    expect(earlyEnd.errors).toEqual([
      {
        field: 'input.dissolvedOn',
        code: 'OUT_OF_RANGE',
        message: `must not be before the first day of membership ${id}.3 (2022-01-01): no member joins a dissolved cooperation.`,
      },
    ]);
    expect(await stored(id)).toEqual(before);
    const dissolved = await update({ id, expectedVersion: 3, status: 'DISSOLVED', dissolvedOn: '2023-12-31' });
    expect(dissolved.errors).toEqual([]);
    expect(dissolved.cooperation).toMatchObject({ status: 'DISSOLVED', version: 4 });
    // The open ones and the one ending in 2030 end on the last day; the one that ended in 2022 keeps its day.
    expect(await stored(id)).toEqual({
      version: 4,
      members: [
        [`${id}.1`, '2020-01-01', '2023-12-31'],
        [`${id}.2`, '2020-01-01', '2023-12-31'],
        [`${id}.3`, '2022-01-01', '2022-12-31'],
        [`${id}.4`, '2021-01-01', '2023-12-31'],
      ],
    });
    // The change feed and the audit trail see each membership the dissolution ended.
    const logged = await server.database.prisma.$queryRaw<{ key: string; changes: unknown }[]>`
      SELECT key, changes FROM cooperations.change_log
      WHERE entity_type = 'MEMBERSHIP' AND operation = 'UPDATED' AND key = ANY(${[1, 2, 3, 4].map((n) => `${id}.${n}`)}::text[])
      ORDER BY key`;
    expect(logged).toEqual([
      { key: `${id}.1`, changes: { valid_until: { old: null, new: '2023-12-31' } } },
      { key: `${id}.2`, changes: { valid_until: { old: null, new: '2023-12-31' } } },
      { key: `${id}.4`, changes: { valid_until: { old: '2030-12-31', new: '2023-12-31' } } },
    ]);
  });

  it('endMembership: a membership ends by the last day; a record from before the rules stays editable in its other fields', async () => {
    const created = (await create(STATE_EDITOR)).data!.createCooperation.cooperation!;
    // Dissolved while its memberships stayed open, as writes could leave it before these rules.
    await server.database.prisma.cooperation.update({
      where: { id: created.id },
      data: { status: 'DISSOLVED', dissolvedOn: new Date('2023-12-31') },
    });
    const membershipId = created.members[1]!.id;
    expect((await endMember({ membershipId, validUntil: '2024-06-30' })).errors).toEqual([
      {
        field: 'input.validUntil',
        code: 'OUT_OF_RANGE',
        message: "must not be after the cooperation's last day, dissolvedOn (2023-12-31).",
      },
    ]);
    expect((await endMember({ membershipId, validUntil: '2023-12-31' })).membership).toEqual({
      id: membershipId,
      validUntil: '2023-12-31',
    });
    // Its days do not move, so its other membership, still open, does not stand in the way of a new name.
    expect((await update({ id: created.id, expectedVersion: 2, name: 'Umbenannt' })).cooperation).toMatchObject({ name: 'Umbenannt' });
  });
});

describe('deletes', () => {
  it('refuses one it cannot check: a server told no projects subgraph, and nothing is deleted', async () => {
    // The check itself, against the real projects subgraph, is in test/cooperations.test.ts.
    const created = (await create(STATE_EDITOR)).data!.createCooperation.cooperation!;
    const { data, errors } = await postGraphQL(
      blindUrl,
      `mutation ($id: ID!) { deleteCooperation(id: $id, expectedVersion: 1) { cooperation { id } errors { code } } }`,
      { id: created.id },
      STATE_EDITOR,
    );
    expect(data).toBeNull();
    expect(errors?.map((error) => [error.extensions?.code, error.message])).toEqual([
      [
        'REFERENCE_CHECK_UNAVAILABLE',
        'The projects subgraph could not check which of its records link to this Cooperation (its address is not known). Nothing was written; send it again.',
      ],
    ]);
    expect(await server.database.prisma.cooperation.findUnique({ where: { id: created.id } })).toMatchObject({ version: 1 });
  });
});

describe('a founding day that moves later, asked of the projects subgraph', () => {
  async function carried(cooperationId: string, startDate: string): Promise<string> {
    const { data, errors } = await postGraphQL<{ createProject: { project: { id: string } | null; errors: FieldError[] } }>(
      projectsUrl,
      `mutation ($input: CreateProjectInput!) { createProject(input: $input) { project { id } errors { field code message } } }`,
      {
        input: {
          title: `Carried from ${startDate}`,
          summary: 'Created by a test.',
          kind: 'STUDY',
          topics: ['MOBILITY'],
          startDate,
          regions: [{ regionCode: '03256', role: 'LEAD' }],
          cooperationId,
        },
      },
      PROJECTS_EDITOR,
    );
    expect(errors).toBeUndefined();
    expect(data!.createProject.errors).toEqual([]);
    return data!.createProject.project!.id;
  }

  /** An update, and how many times the server asked projects for it. */
  async function update(input: Record<string, unknown>): Promise<{ payload: UpdatePayload['updateCooperation']; asked: number }> {
    const before = asks;
    const { data, errors } = await postGraphQL<UpdatePayload>(url, UPDATE, { input }, STATE_EDITOR);
    expect(errors).toBeUndefined();
    return { payload: data!.updateCooperation, asked: asks - before };
  }

  const version = async (id: string) => (await server.database.prisma.cooperation.findUniqueOrThrow({ where: { id } })).version;

  it('refuses one after the start of a carried project with OUT_OF_RANGE, naming them; asks only when it moves later', async () => {
    const members = [{ regionCode: '03256', role: 'LEAD', validFrom: '2024-01-01' }];
    const id = (await create(STATE_EDITOR, { founded: '2020-01-01', members })).data!.createCooperation.cooperation!.id;
    const early = await carried(id, '2020-03-01');
    const later = await carried(id, '2021-06-01');
    await carried(id, '2023-05-01');

    const refused = await update({ id, expectedVersion: 1, founded: '2021-07-01' });
    expect(refused).toEqual({
      payload: {
        cooperation: null,
        errors: [
          {
            field: 'input.founded',
            code: 'OUT_OF_RANGE',
            message: `must not be after the start of the 2 project(s) the cooperation carries that start before 2021-07-01 ("${later}", "${early}"): no carried project starts before the founding. Move their start, or unlink them (updateProject), first.`,
          },
        ],
      },
      asked: 1,
    });
    expect(await version(id)).toBe(1);

    // Up to the earliest carried start is fine; so is any day that does not move later, unasked.
    expect(await update({ id, expectedVersion: 1, founded: '2020-03-01' })).toMatchObject({ payload: { errors: [] }, asked: 1 });
    expect(await update({ id, expectedVersion: 2, founded: '2020-03-01', name: 'Umbenannt' })).toMatchObject({
      payload: { errors: [] },
      asked: 0,
    });
    expect(await update({ id, expectedVersion: 3, founded: '2019-06-01' })).toMatchObject({ payload: { errors: [] }, asked: 0 });
    expect(await update({ id, expectedVersion: 4, description: 'Nothing but words.' })).toMatchObject({
      payload: { errors: [] },
      asked: 0,
    });
    expect(await version(id)).toBe(5);
  });

  it('holds a first founding day, given when a PLANNED cooperation starts, against the projects it already carries', async () => {
    const members = [{ regionCode: '03256', role: 'LEAD', validFrom: '2024-01-01' }];
    const id = (await create(STATE_EDITOR, { status: 'PLANNED', founded: null, members })).data!.createCooperation.cooperation!.id;
    const project = await carried(id, '2022-02-01');
    const refused = await update({ id, expectedVersion: 1, status: 'ACTIVE', founded: '2023-01-01' });
    expect(refused.asked).toBe(1);
    expect(refused.payload.errors).toEqual([expect.objectContaining({ field: 'input.founded', code: 'OUT_OF_RANGE' })]);
    expect(refused.payload.errors[0]!.message).toContain(`("${project}")`);
    expect(await update({ id, expectedVersion: 1, status: 'ACTIVE', founded: '2022-01-01' })).toMatchObject({
      payload: { errors: [] },
      asked: 1,
    });
  });

  it('is refused when it cannot be checked: a server told no projects subgraph changes nothing, but other fields', async () => {
    const members = [{ regionCode: '03256', role: 'LEAD', validFrom: '2024-01-01' }];
    const id = (await create(STATE_EDITOR, { founded: '2020-01-01', members })).data!.createCooperation.cooperation!.id;
    const moved = await postGraphQL<UpdatePayload>(
      blindUrl,
      UPDATE,
      { input: { id, expectedVersion: 1, founded: '2021-01-01' } },
      STATE_EDITOR,
    );
    expect(moved.data).toBeNull();
    expect(moved.errors?.map((error) => [error.extensions?.code, error.message])).toEqual([
      [
        'REFERENCE_CHECK_UNAVAILABLE',
        'The projects subgraph could not check which of its records link to this Cooperation (its address is not known). Nothing was written; send it again.',
      ],
    ]);
    expect(await version(id)).toBe(1);
    const renamed = await postGraphQL<UpdatePayload>(
      blindUrl,
      UPDATE,
      { input: { id, expectedVersion: 1, name: 'Umbenannt' } },
      STATE_EDITOR,
    );
    expect(renamed.data!.updateCooperation.errors).toEqual([]);
  });
});

describe('new cooperation ids', () => {
  it('are never handed out twice: a create waits for the one before it to commit, then takes the next number', async () => {
    const prisma = server.database.prisma;
    const record = { table: 'cooperation', entityType: 'COOPERATION', prefix: 'C-' };
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let inserted!: (id: string) => void;
    const firstId = new Promise<string>((resolve) => (inserted = resolve));
    const first = prisma.$transaction(
      async (tx) => {
        const id = await nextRecordKey(tx, COOPERATION_FEED, record);
        await tx.cooperation.create({
          data: {
            id,
            name: 'Id race',
            description: '',
            nameFolded: 'id race',
            kind: 'INTER_MUNICIPAL',
            status: 'ACTIVE',
            synthetic: false,
            source: 'test',
            updatedBy: 'test',
          },
        });
        inserted(id);
        await gate;
      },
      { timeout: 30_000 },
    );
    const taken = await firstId;
    let secondSettled = false;
    const second = prisma.$transaction((tx) => nextRecordKey(tx, COOPERATION_FEED, record), { timeout: 30_000 });
    void second.finally(() => (secondSettled = true));
    // The second either waits on the first's lock, or (without one) has already read the same largest
    // number.
    await untilALockIsAwaited(prisma, () => secondSettled);
    release();
    await first;
    const next = await second;
    const number = (id: string) => Number(id.slice(record.prefix.length));
    expect(number(next)).toBe(number(taken) + 1);
    await prisma.cooperation.delete({ where: { id: taken } });
  });
});
