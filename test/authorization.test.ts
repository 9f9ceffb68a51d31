// The authorization matrix: every mutation × every kind of caller × a record in each ArL district.
// Each cell states its exact outcome (written, UNAUTHENTICATED with its reason, or FORBIDDEN), and a
// refused cell must leave the database exactly as it was: no unauthorized write reaches it.
import { createHmac, randomUUID } from 'node:crypto';
import type { Prisma, PrismaClient } from '@regiograph/db';
import { resolveAuthSecret, type MintOptions, type TokenClaims } from '@regiograph/shared';
import { testBearer } from '@regiograph/shared/testing';
import { startStack, type GraphQLResult, type Stack } from './harness';

let stack: Stack;
let projectsDb: PrismaClient;
let cooperationsDb: PrismaClient;

const SECRET = resolveAuthSecret();
const DISTRICTS = ['031', '032', '033', '034'] as const;
type District = (typeof DISTRICTS)[number];
const BOTH_SCOPES = ['projects:write', 'cooperations:write'];

/** Three counties of each district: a lead region, a second member and one to add later. */
const COUNTIES: Record<District, [string, string, string]> = {
  '031': ['03101', '03102', '03103'],
  '032': ['03241', '03251', '03256'],
  '033': ['03351', '03352', '03355'],
  '034': ['03401', '03402', '03459'],
};

/** The matrix's caller: an editor of both subgraphs, state-wide, unless the claims say otherwise. */
function bearer(claims: Partial<TokenClaims>, options: Partial<MintOptions> = {}): Record<string, string> {
  return testBearer({ sub: 'authz-matrix', name: 'Authorization matrix', scopes: BOTH_SCOPES, ...claims }, options);
}

/** A token signed here by hand (HS256) with claims mintToken never writes, relative to now in seconds. */
function handSignedToken(times: (now: number) => { iat: number; exp: number; nbf?: number }): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub: 'authz-matrix', scopes: BOTH_SCOPES, ...times(Math.floor(Date.now() / 1000)) })}`;
  return `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`;
}

/** An UNAUTHENTICATED cell names the exact message: it tells missing, expired, early and forged tokens apart. */
type Expected = { outcome: 'OK' } | { outcome: 'UNAUTHENTICATED'; message: string } | { outcome: 'FORBIDDEN' };
type Subgraph = 'projects' | 'cooperations';

interface Role {
  name: string;
  headers: (subgraph: Subgraph) => Record<string, string>;
  expect: (target: District, subgraph: Subgraph) => Expected;
}

const ok: Expected = { outcome: 'OK' };
const forbidden: Expected = { outcome: 'FORBIDDEN' };
const unauthenticated = (message: string): Expected => ({ outcome: 'UNAUTHENTICATED', message });

const ROLES: Role[] = [
  {
    name: 'anonymous',
    headers: () => ({}),
    expect: () => unauthenticated('This operation needs an authenticated caller (send "Authorization: Bearer <token>").'),
  },
  {
    name: 'expired token',
    headers: () => bearer({}, { issuedAt: Math.floor(Date.now() / 1000) - 3600 }),
    expect: () => unauthenticated('The access token has expired.'),
  },
  {
    name: 'not-yet-valid token',
    // mintToken never sets `nbf`: valid only from an hour on.
    headers: () => ({ authorization: `Bearer ${handSignedToken((now) => ({ iat: now, nbf: now + 3600, exp: now + 7200 }))}` }),
    expect: () => unauthenticated('The access token is not valid yet (nbf).'),
  },
  {
    name: 'century-long token',
    headers: () => ({ authorization: `Bearer ${handSignedToken((now) => ({ iat: now, exp: now + 100 * 365 * 86_400 }))}` }),
    expect: () =>
      unauthenticated(
        'The access token expires too far ahead: at most 86400 seconds from now are accepted (AUTH_MAX_TOKEN_LIFETIME_SECONDS).',
      ),
  },
  {
    name: 'wrong-secret token',
    headers: () => bearer({}, { secret: 'a-wrong-secret-that-is-long-enough-for-hs256' }),
    expect: () => unauthenticated('The access token signature is invalid.'),
  },
  { name: 'reader (no scope)', headers: () => bearer({ scopes: [] }), expect: () => forbidden },
  {
    name: 'wrong scope (the other subgraph’s)',
    headers: (subgraph) => bearer({ scopes: [subgraph === 'projects' ? 'cooperations:write' : 'projects:write'] }),
    expect: () => forbidden,
  },
  ...DISTRICTS.map((district): Role => ({
    name: `editor of district ${district}`,
    headers: () => bearer({ district }),
    expect: (target) => (target === district ? ok : forbidden),
  })),
  { name: 'state-wide editor', headers: () => bearer({}), expect: () => ok },
];

/** Records each cell acts on; cells that consume their target (status, end of membership) get fresh ones. */
interface Fixture {
  projectId: string;
  fundingId: string;
  cooperationId: string;
}
const fixtures = {} as Record<District, Fixture>;
const STATE_WIDE = () => bearer({});

async function must<T>(result: Promise<GraphQLResult<T>>): Promise<T> {
  const { data, errors } = await result;
  // Field errors come back in the payload (`errors` of the mutation's answer), not as GraphQL errors.
  const payloadErrors = data
    ? Object.values(data as Record<string, { errors?: unknown[] } | null>).flatMap((payload) => payload?.errors ?? [])
    : [];
  if (errors?.length || !data || payloadErrors.length) throw new Error(`fixture write failed: ${JSON.stringify(errors ?? payloadErrors)}`);
  return data;
}

async function createProject(district: District, title: string, headers: Record<string, string>) {
  return stack.query<{ createProject: { project: { id: string } | null; errors: unknown[] } }>(
    `mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } errors { code } } }`,
    {
      input: {
        title,
        summary: 'Written by the authorization matrix test.',
        kind: 'MODEL_PROJECT',
        topics: ['MOBILITY'],
        startDate: '2026-03-01',
        regions: [{ regionCode: COUNTIES[district][0], role: 'LEAD' }],
      },
    },
    headers,
  );
}

async function createCooperation(district: District, name: string, headers: Record<string, string>) {
  const [first, second] = COUNTIES[district];
  return stack.query<{ createCooperation: { cooperation: { id: string } | null; errors: unknown[] } }>(
    `mutation($input: CreateCooperationInput!) { createCooperation(input: $input) { cooperation { id } errors { code } } }`,
    {
      input: {
        name,
        kind: 'OTHER',
        founded: '2020-01-01',
        members: [first, second].map((regionCode) => ({ regionCode, validFrom: '2020-01-01' })),
      },
    },
    headers,
  );
}

/** Counts periods: every membership a cell adds gets a day of its own, so none overlaps another. */
let period = 0;

/**
 * The day `offset` days after `start`: within the fixture cooperation's life (founded 2020) and the
 * years a cooperation's days may lie in (1946–2100).
 */
function dayAfter(start: string, offset: number): string {
  return new Date(Date.parse(start) + offset * 86_400_000).toISOString().slice(0, 10);
}
const END_MEMBERSHIP = `mutation($input: EndCooperationMembershipInput!) { endMembership(input: $input) { membership { id } errors { code } } }`;

/**
 * A fresh, open membership of the district's cooperation (the target of one endMembership cell),
 * from a day of its own from 2060 on; the addMembership cells use days from 2030 on.
 */
async function openMembership(district: District): Promise<{ id: string; day: string }> {
  period += 1;
  const day = dayAfter('2060-01-01', period);
  const data = await must(
    stack.query<{ addMembership: { membership: { id: string } } }>(
      `mutation($input: AddCooperationMembershipInput!) { addMembership(input: $input) { membership { id } errors { code } } }`,
      {
        input: {
          cooperationId: fixtures[district].cooperationId,
          regionCode: COUNTIES[district][2],
          validFrom: day,
          validUntil: null,
        },
      },
      STATE_WIDE(),
    ),
  );
  return { id: data.addMembership.membership.id, day };
}

/**
 * What a cell may change, in one statement (a refused cell reads it twice): the version, status and
 * title of the district's project, every column of its fundings (the fixture's funding among them),
 * the projects named by the cell, the id, status and version of every status target; the version and
 * name of the district's cooperation, every column of its memberships, and the cooperations named by
 * the cell. Each part is JSON as text, so a bigint or a numeric compares exactly and a failed cell's
 * diff names the part. `db` lets the fingerprint's own check read inside a transaction it rolls back.
 */
async function fingerprint(district: District, label: string, db: Pick<PrismaClient, '$queryRaw'> = projectsDb): Promise<Fingerprint> {
  const { projectId, cooperationId } = fixtures[district];
  const [row] = await db.$queryRaw<[Fingerprint]>`
    SELECT
      (SELECT json_build_object('version', version, 'status', status, 'title', title)::text
         FROM projects.project WHERE id = ${projectId}) AS project,
      (SELECT json_agg(funding ORDER BY funding.id)::text FROM projects.funding WHERE project_id = ${projectId}) AS fundings,
      (SELECT count(*)::int FROM projects.project WHERE title = ${label}) AS "projectsNamed",
      (SELECT json_agg(json_build_object('id', id, 'status', status, 'version', version) ORDER BY id)::text
         FROM projects.project WHERE starts_with(title, 'Authz status target')) AS "plannedProjects",
      (SELECT json_build_object('version', version, 'name', name)::text
         FROM cooperations.cooperation WHERE id = ${cooperationId}) AS cooperation,
      (SELECT json_agg(membership ORDER BY membership.id)::text
         FROM cooperations.membership WHERE cooperation_id = ${cooperationId}) AS memberships,
      (SELECT count(*)::int FROM cooperations.cooperation WHERE name = ${label}) AS "cooperationsNamed"`;
  return row;
}

interface Fingerprint {
  project: string | null;
  fundings: string | null;
  projectsNamed: number;
  plannedProjects: string | null;
  cooperation: string | null;
  memberships: string | null;
  cooperationsNamed: number;
}

interface Mutation {
  name: string;
  subgraph: Subgraph;
  /** Sends the mutation against a record of `district`; `label` names anything it creates. */
  send(
    district: District,
    label: string,
    headers: Record<string, string>,
  ): Promise<GraphQLResult<Record<string, { errors: unknown[] } | null>>>;
  /** Checks the write of an allowed cell in the database. */
  written(district: District, label: string): Promise<void>;
}

const projectVersion = async (district: District) =>
  (await projectsDb.project.findUniqueOrThrow({ where: { id: fixtures[district].projectId } })).version;
const cooperationVersion = async (district: District) =>
  (await cooperationsDb.cooperation.findUniqueOrThrow({ where: { id: fixtures[district].cooperationId } })).version;

/**
 * Targets consumed by one cell: a PLANNED project for changeProjectStatus, an open membership (from
 * `day`, ended on that day) for endMembership.
 */
const consumed = new Map<string, { id: string; day: string }>();
/** The PLANNED project of each district that the next changeProjectStatus cell acts on. */
const statusTargets: Partial<Record<District, string>> = {};

const MUTATIONS: Mutation[] = [
  {
    name: 'createProject',
    subgraph: 'projects',
    send: (district, label, headers) => createProject(district, label, headers),
    written: async (_district, label) => expect(await projectsDb.project.count({ where: { title: label } })).toBe(1),
  },
  {
    name: 'updateProject',
    subgraph: 'projects',
    send: async (district, label, headers) =>
      stack.query(
        `mutation($input: UpdateProjectInput!) { updateProject(input: $input) { project { id } errors { code } } }`,
        { input: { id: fixtures[district].projectId, expectedVersion: await projectVersion(district), summary: label } },
        headers,
      ),
    written: async (district, label) =>
      expect((await projectsDb.project.findUniqueOrThrow({ where: { id: fixtures[district].projectId } })).summary).toBe(label),
  },
  {
    name: 'changeProjectStatus',
    subgraph: 'projects',
    send: async (district, label, headers) => {
      const { id } = consumed.get(label)!;
      const { version } = await projectsDb.project.findUniqueOrThrow({ where: { id } });
      return stack.query(
        `mutation($id: ID!, $version: Int!) { changeProjectStatus(id: $id, status: RUNNING, expectedVersion: $version) { project { id } errors { code } } }`,
        { id, version },
        headers,
      );
    },
    written: async (_district, label) =>
      expect((await projectsDb.project.findUniqueOrThrow({ where: { id: consumed.get(label)!.id } })).status).toBe('RUNNING'),
  },
  {
    name: 'addFunding',
    subgraph: 'projects',
    send: (district, _label, headers) =>
      stack.query(
        `mutation($input: AddFundingInput!) { addFunding(input: $input) { funding { id } errors { code } } }`,
        {
          input: {
            projectId: fixtures[district].projectId,
            programmeCode: 'GRW',
            amountCents: 4242,
            coFinancingShare: 0.5,
            commitmentYear: 2026,
          },
        },
        headers,
      ),
    written: async (district) =>
      expect(await projectsDb.funding.count({ where: { projectId: fixtures[district].projectId, amountCents: 4242 } })).toBeGreaterThan(0),
  },
  {
    name: 'updateFunding',
    subgraph: 'projects',
    send: (district, _label, headers) => {
      period += 1;
      return stack.query(
        `mutation($input: UpdateFundingInput!) { updateFunding(input: $input) { funding { id } errors { code } } }`,
        { input: { id: fixtures[district].fundingId, amountCents: 100_000 + period } },
        headers,
      );
    },
    written: async (district) =>
      expect(
        Number((await projectsDb.funding.findUniqueOrThrow({ where: { id: Number(fixtures[district].fundingId) } })).amountCents),
      ).toBe(100_000 + period),
  },
  {
    name: 'createCooperation',
    subgraph: 'cooperations',
    send: (district, label, headers) => createCooperation(district, label, headers),
    written: async (_district, label) => expect(await cooperationsDb.cooperation.count({ where: { name: label } })).toBe(1),
  },
  {
    name: 'updateCooperation',
    subgraph: 'cooperations',
    send: async (district, label, headers) =>
      stack.query(
        `mutation($input: UpdateCooperationInput!) { updateCooperation(input: $input) { cooperation { id } errors { code } } }`,
        { input: { id: fixtures[district].cooperationId, expectedVersion: await cooperationVersion(district), description: label } },
        headers,
      ),
    written: async (district, label) =>
      expect((await cooperationsDb.cooperation.findUniqueOrThrow({ where: { id: fixtures[district].cooperationId } })).description).toBe(
        label,
      ),
  },
  {
    name: 'addMembership',
    subgraph: 'cooperations',
    send: (district, _label, headers) => {
      period += 1;
      return stack.query(
        `mutation($input: AddCooperationMembershipInput!) { addMembership(input: $input) { membership { id } errors { code } } }`,
        {
          input: {
            cooperationId: fixtures[district].cooperationId,
            regionCode: COUNTIES[district][2],
            validFrom: dayAfter('2030-01-01', period),
            validUntil: dayAfter('2030-01-01', period),
          },
        },
        headers,
      );
    },
    written: async (district) =>
      expect(
        await cooperationsDb.cooperationMembership.count({
          where: { cooperationId: fixtures[district].cooperationId, validFrom: new Date(dayAfter('2030-01-01', period)) },
        }),
      ).toBe(1),
  },
  {
    name: 'endMembership',
    subgraph: 'cooperations',
    send: (_district, label, headers) =>
      stack.query(END_MEMBERSHIP, { input: { membershipId: consumed.get(label)!.id, validUntil: consumed.get(label)!.day } }, headers),
    written: async (_district, label) =>
      expect(
        (await cooperationsDb.cooperationMembership.findUniqueOrThrow({ where: { id: consumed.get(label)!.id } })).validUntil,
      ).not.toBeNull(),
  },
];

beforeAll(async () => {
  stack = await startStack();
  projectsDb = stack.subgraphs.projects!.server.database.prisma;
  cooperationsDb = stack.subgraphs.cooperations!.server.database.prisma;
  for (const district of DISTRICTS) {
    const project = (await must(createProject(district, `Authz fixture ${district} ${randomUUID()}`, STATE_WIDE()))).createProject.project!;
    const funding = await must(
      stack.query<{ addFunding: { funding: { id: string } } }>(
        `mutation($input: AddFundingInput!) { addFunding(input: $input) { funding { id } errors { code } } }`,
        { input: { projectId: project.id, programmeCode: 'GRW', amountCents: 1000, coFinancingShare: 0.5, commitmentYear: 2026 } },
        STATE_WIDE(),
      ),
    );
    const cooperation = (await must(createCooperation(district, `Authz fixture ${district} ${randomUUID()}`, STATE_WIDE())))
      .createCooperation.cooperation!;
    fixtures[district] = { projectId: project.id, fundingId: funding.addFunding.funding.id, cooperationId: cooperation.id };
  }
});

afterAll(async () => {
  // The records this file wrote go again (fundings, regions and memberships with them): other test
  // files count and page through the seeded set.
  await projectsDb?.project.deleteMany({ where: { title: { startsWith: 'Authz ' } } });
  await cooperationsDb?.cooperation.deleteMany({ where: { name: { startsWith: 'Authz ' } } });
  await stack?.stop();
});

describe.each(MUTATIONS.map((mutation) => [mutation.name, mutation] as const))('%s', (_name, mutation) => {
  it.each(ROLES.map((role) => [role.name, role] as const))(
    '%s: exact outcome in each district, no write when refused',
    async (_roleName, role) => {
      for (const district of DISTRICTS) {
        const label = `Authz ${mutation.name} ${role.name} ${district} ${randomUUID()}`;
        if (mutation.name === 'changeProjectStatus') {
          // A refused cell leaves its PLANNED project as it was: only an allowed one needs a new target.
          // (Few rows: other test files page through the first 200 projects at the same time.)
          statusTargets[district] ??= (
            await must(createProject(district, `Authz status target ${randomUUID()}`, STATE_WIDE()))
          ).createProject.project!.id;
          consumed.set(label, { id: statusTargets[district], day: '' });
        }
        if (mutation.name === 'endMembership') consumed.set(label, await openMembership(district));
        const expected = role.expect(district, mutation.subgraph);
        // An allowed cell writes: only a refused one compares its fingerprints.
        const before = expected.outcome === 'OK' ? null : await fingerprint(district, label);
        const result = await mutation.send(district, label, role.headers(mutation.subgraph));
        const cell = `${mutation.name} × ${role.name} × district ${district}`;
        if (expected.outcome === 'OK') {
          expect({ cell, errors: result.errors, payloadErrors: result.data?.[mutation.name]?.errors }).toEqual({
            cell,
            errors: undefined,
            payloadErrors: [],
          });
          await mutation.written(district, label);
          if (mutation.name === 'changeProjectStatus') delete statusTargets[district];
          continue;
        }
        expect({ cell, data: result.data ?? null, code: result.errors?.[0]?.extensions?.code }).toEqual({
          cell,
          data: null,
          code: expected.outcome,
        });
        if (expected.outcome === 'UNAUTHENTICATED')
          expect({ cell, message: result.errors?.[0]?.message }).toEqual({ cell, message: expected.message });
        expect({ cell, after: await fingerprint(district, label) }).toEqual({ cell, after: before });
        if (mutation.name === 'endMembership') {
          // The refused cell left its membership open: end it, so the next one's period may follow.
          const { id, day } = consumed.get(label)!;
          await must(stack.query(END_MEMBERSHIP, { input: { membershipId: id, validUntil: day } }, STATE_WIDE()));
        }
      }
    },
  );
});

/** A write the fingerprint must see, made inside a transaction that is rolled back after the fingerprint is read in it. */
type Write = (db: Prisma.TransactionClient, district: District, label: string) => Promise<unknown>;

/** Another project and another cooperation than the district's, for writes that move a row away or name one. */
async function others(db: Prisma.TransactionClient, district: District) {
  const { projectId, cooperationId } = fixtures[district];
  return {
    project: (
      await db.project.findFirstOrThrow({ where: { id: { not: projectId }, title: { not: { startsWith: 'Authz status target' } } } })
    ).id,
    cooperation: (await db.cooperation.findFirstOrThrow({ where: { id: { not: cooperationId } } })).id,
  };
}
const projectOf = (district: District) => ({ id: fixtures[district].projectId });
const fundingOf = (district: District) => ({ id: Number(fixtures[district].fundingId) });
const cooperationOf = (district: District) => ({ id: fixtures[district].cooperationId });
/** The district's cooperation's first membership (its lead region's, open since 2020). */
const firstMembership = async (db: Prisma.TransactionClient, district: District) =>
  db.cooperationMembership.findFirstOrThrow({ where: { cooperationId: fixtures[district].cooperationId }, orderBy: { id: 'asc' } });
const statusTarget = async (db: Prisma.TransactionClient) =>
  db.project.findFirstOrThrow({ where: { title: { startsWith: 'Authz status target' } }, orderBy: { id: 'asc' } });

/** Every column the fingerprint compares and the rows it counts, each changed on its own, with the one part it must change. */
const WRITES: [string, keyof Fingerprint, Write][] = [
  ['the project’s version', 'project', (db, d) => db.project.update({ where: projectOf(d), data: { version: { increment: 1 } } })],
  ['the project’s status', 'project', (db, d) => db.project.update({ where: projectOf(d), data: { status: 'CANCELLED' } })],
  ['the project’s title', 'project', (db, d, label) => db.project.update({ where: projectOf(d), data: { title: `${label} (renamed)` } })],
  ['a funding’s amount', 'fundings', (db, d) => db.funding.update({ where: fundingOf(d), data: { amountCents: { increment: 1 } } })],
  ['a funding’s co-financing share', 'fundings', (db, d) => db.funding.update({ where: fundingOf(d), data: { coFinancingShare: 0.2501 } })],
  [
    'a funding’s commitment year',
    'fundings',
    (db, d) => db.funding.update({ where: fundingOf(d), data: { commitmentYear: { increment: 1 } } }),
  ],
  [
    'a funding’s programme',
    'fundings',
    async (db, d) =>
      db.funding.update({
        where: fundingOf(d),
        data: { programmeCode: (await db.fundingProgramme.findFirstOrThrow({ where: { code: { not: 'GRW' } } })).code },
      }),
  ],
  [
    'a funding moved to another project',
    'fundings',
    async (db, d) => db.funding.update({ where: fundingOf(d), data: { projectId: (await others(db, d)).project } }),
  ],
  ['a funding’s id', 'fundings', (db, d) => db.funding.update({ where: fundingOf(d), data: { id: 2_000_000_000 } })],
  [
    'a new funding',
    'fundings',
    (db, d) =>
      db.funding.create({
        data: { projectId: fixtures[d].projectId, programmeCode: 'GRW', amountCents: 1, coFinancingShare: 0.5, commitmentYear: 2026 },
      }),
  ],
  ['a funding deleted', 'fundings', (db, d) => db.funding.delete({ where: fundingOf(d) })],
  [
    'a project with the cell’s title',
    'projectsNamed',
    async (db, d, label) => db.project.update({ where: { id: (await others(db, d)).project }, data: { title: label } }),
  ],
  [
    'a status target’s status',
    'plannedProjects',
    async (db) => {
      const { id, status } = await statusTarget(db);
      return db.project.update({ where: { id }, data: { status: status === 'RUNNING' ? 'PLANNED' : 'RUNNING' } });
    },
  ],
  [
    'a status target’s version',
    'plannedProjects',
    async (db) => db.project.update({ where: { id: (await statusTarget(db)).id }, data: { version: { increment: 1 } } }),
  ],
  [
    'a new status target',
    'plannedProjects',
    async (db, d) =>
      db.project.update({ where: { id: (await others(db, d)).project }, data: { title: `Authz status target ${randomUUID()}` } }),
  ],
  [
    'the cooperation’s version',
    'cooperation',
    (db, d) => db.cooperation.update({ where: cooperationOf(d), data: { version: { increment: 1 } } }),
  ],
  [
    'the cooperation’s name',
    'cooperation',
    (db, d, label) => db.cooperation.update({ where: cooperationOf(d), data: { name: `${label} (renamed)` } }),
  ],
  ...(
    [
      ['id', { id: 'C-AUTHZ.check' }],
      ['region', { regionCode: '03999999' }],
      ['district', { districtCode: '039' }],
      ['county', { countyCode: '03999' }],
      ['association', { associationCode: '039990000' }],
      ['first day', { validFrom: new Date('2020-01-02') }],
      ['last day', { validUntil: new Date('2099-12-31') }],
    ] as const
  ).map(([column, data]): [string, keyof Fingerprint, Write] => [
    `a membership’s ${column}`,
    'memberships',
    async (db, d) => db.cooperationMembership.update({ where: { id: (await firstMembership(db, d)).id }, data }),
  ]),
  [
    'a membership’s role',
    'memberships',
    async (db, d) => {
      const { id, role } = await firstMembership(db, d);
      return db.cooperationMembership.update({ where: { id }, data: { role: role === 'LEAD' ? 'MEMBER' : 'LEAD' } });
    },
  ],
  [
    'a membership moved to another cooperation',
    'memberships',
    async (db, d) =>
      db.cooperationMembership.update({
        where: { id: (await firstMembership(db, d)).id },
        data: { cooperationId: (await others(db, d)).cooperation },
      }),
  ],
  [
    'a new membership',
    'memberships',
    (db, d) =>
      db.cooperationMembership.create({
        data: {
          id: `${fixtures[d].cooperationId}.check`,
          cooperationId: fixtures[d].cooperationId,
          regionCode: COUNTIES[d][2],
          districtCode: d,
          countyCode: COUNTIES[d][2],
          role: 'MEMBER',
          validFrom: new Date('2021-01-01'),
        },
      }),
  ],
  [
    'a membership deleted',
    'memberships',
    async (db, d) => db.cooperationMembership.delete({ where: { id: (await firstMembership(db, d)).id } }),
  ],
  [
    'a cooperation with the cell’s name',
    'cooperationsNamed',
    async (db, d, label) => db.cooperation.update({ where: { id: (await others(db, d)).cooperation }, data: { name: label } }),
  ],
];

describe('the fingerprint a refused cell is checked with', () => {
  const district: District = '033';
  const label = `Authz fingerprint check ${randomUUID()}`;
  /** Ends the transaction of one check without committing its write. */
  class RolledBack extends Error {}

  beforeAll(async () => {
    // A status target of its own, whatever the matrix left.
    await must(createProject(district, `Authz status target ${randomUUID()}`, STATE_WIDE()));
  });

  it('is one statement', async () => {
    const counters = [stack.subgraphs.projects!.counter, stack.subgraphs.cooperations!.counter];
    const before = counters.map((counter) => counter.count);
    await fingerprint(district, label);
    expect(counters.reduce((sum, counter, index) => sum + counter.count - before[index]!, 0)).toBe(1);
  });

  it.each(WRITES)('changes with %s (%s)', async (_write, part, write) => {
    const before = await fingerprint(district, label);
    let seen: Fingerprint | undefined;
    await expect(
      projectsDb.$transaction(async (db) => {
        await write(db, district, label);
        seen = await fingerprint(district, label, db);
        throw new RolledBack();
      }),
    ).rejects.toBeInstanceOf(RolledBack);
    const changed = (Object.keys(before) as (keyof Fingerprint)[]).filter((key) => seen?.[key] !== before[key]);
    expect(changed).toEqual([part]);
    // Rolled back: the next check starts from the same rows.
    expect(await fingerprint(district, label)).toEqual(before);
  });
});
