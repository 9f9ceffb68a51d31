// A synthetic cooperation the shipped data no longer has is removed by the seed only when the projects
// subgraph says no project links to it; else, or while projects cannot be asked, it stays and the next
// start asks again. A real projects server on the same scratch database answers, as for deletes.
import { createServer as createProjectsServer } from '@regiograph/projects';
import { Prisma, provideScratchDatabase, type ProvidedDatabase } from '@regiograph/db';
import { SEED_ACTOR } from '@regiograph/shared';
import { testBearer } from '@regiograph/shared/testing';
import { recordBulkChanges, seededFingerprint, type PeerUrl, type SubgraphServer } from '@regiograph/subgraph-kit';
import { createServer as createHttpServer } from 'node:http';
import { COOPERATION_FEED } from './change-feed';
import { regionCatalogue } from './region-catalogue';
import { createServer, seed, seedIfEmpty } from './server';
import { SHIPPED_DATA_FINGERPRINTS } from './shipped-data';
import { generateSyntheticCooperations } from './synthetic';
import { postGraphQL } from './testing/client';

let database: ProvidedDatabase;
let server: SubgraphServer;
let url: string;
let projects: SubgraphServer;
let projectsUrl: string;
/** Where nothing answers: a port that was listened on and closed again. */
let downUrl: string;
/** How many times a seed asked projects: once per question (references.ts reads the peer's URL for each). */
let asks = 0;

/** The projects subgraph at `address()`, each question counted. */
function projectsAt(address: () => string): PeerUrl {
  return (name) => {
    if (name !== 'projects') return undefined;
    asks += 1;
    return address();
  };
}

const peerUrl = projectsAt(() => projectsUrl);

beforeAll(async () => {
  database = await provideScratchDatabase({ serverUrl: process.env.TEST_DATABASE_URL, migrated: true });
  server = await createServer({ databaseUrl: database.url, peerUrl });
  await seed(server.database.prisma);
  url = (await server.listen(0)).url;
  projects = await createProjectsServer({ databaseUrl: database.url, peerUrl: (name) => (name === 'cooperations' ? url : undefined) });
  projectsUrl = (await projects.listen(0)).url;
  const closed = createHttpServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const address = closed.address();
  downUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql`;
  await new Promise((resolve) => closed.close(resolve));
}, 120_000);

afterAll(async () => {
  await projects?.close();
  await server?.close();
  await database?.stop();
});

const PROJECTS_EDITOR = testBearer({ sub: 'projects-editor', scopes: ['projects:write'] });

/** A synthetic cooperation as an earlier generator version shipped it, seeded and announced by that release. */
async function retired(id: string): Promise<void> {
  const { prisma } = server.database;
  const [template] = generateSyntheticCooperations(regionCatalogue()).cooperations;
  await prisma.cooperation.createMany({
    data: [{ ...template!, id, otherMembers: [] as Prisma.InputJsonValue }],
  });
  await recordBulkChanges(
    prisma,
    COOPERATION_FEED,
    SEED_ACTOR,
    'COOPERATION',
    Prisma.sql`SELECT id, version FROM cooperations.cooperation WHERE id = ${id}`,
    Prisma.sql`SELECT id FROM cooperations.cooperation`,
  );
}

/** A project an editor created, carried by `cooperationId`; its id and version. */
async function carriedBy(cooperationId: string): Promise<{ id: string; version: number }> {
  const { data, errors } = await postGraphQL<{ createProject: { project: { id: string; version: number } | null; errors: unknown[] } }>(
    projectsUrl,
    `mutation ($input: CreateProjectInput!) { createProject(input: $input) { project { id version } errors { field code message } } }`,
    {
      input: {
        title: `Carried by ${cooperationId}`,
        summary: 'Created by a test.',
        kind: 'STUDY',
        topics: ['MOBILITY'],
        startDate: '2025-01-01',
        regions: [{ regionCode: '03256', role: 'LEAD' }],
        cooperationId,
      },
    },
    PROJECTS_EDITOR,
  );
  expect(errors).toBeUndefined();
  expect(data!.createProject.errors).toEqual([]);
  return data!.createProject.project!;
}

async function unlink(project: { id: string; version: number }): Promise<void> {
  const { data, errors } = await postGraphQL<{ updateProject: { errors: unknown[] } }>(
    projectsUrl,
    `mutation ($input: UpdateProjectInput!) { updateProject(input: $input) { errors { field code message } } }`,
    { input: { id: project.id, expectedVersion: project.version, clearCooperation: true } },
    PROJECTS_EDITOR,
  );
  expect(errors).toBeUndefined();
  expect(data!.updateProject.errors).toEqual([]);
}

/** A start's seed after an upgrade; the warnings it logged and how many questions it asked projects. */
async function start(peers?: PeerUrl): Promise<{ seeded: boolean; warnings: string[]; asked: number }> {
  const before = asks;
  const warnings: string[] = [];
  const seeded = await seedIfEmpty(server.database, { info: () => undefined, warn: (message) => warnings.push(message) }, peers);
  return { seeded, warnings, asked: asks - before };
}

async function stored(id: string): Promise<boolean> {
  return (await server.database.prisma.cooperation.findUnique({ where: { id } })) !== null;
}

async function tombstones(id: string) {
  return server.database.prisma.cooperationChangeLog.findMany({
    where: { entityType: 'COOPERATION', key: id, operation: 'DELETED' },
    select: { actor: true },
  });
}

const asAfterAnUpgrade = () => server.database.prisma.cooperationsSeedState.deleteMany();

describe('synthetic cooperations the shipped data no longer has', () => {
  it('asks projects nothing when the seed removes nothing', async () => {
    await asAfterAnUpgrade();
    expect(await start(peerUrl)).toEqual({ seeded: true, warnings: [], asked: 0 });
    expect(await seededFingerprint(server.database.prisma, COOPERATION_FEED.schema)).toBe(SHIPPED_DATA_FINGERPRINTS.at(-1));
  });

  it('keeps one projects still link to, says why, and removes it at a later start once unlinked; removes an unlinked one at once', async () => {
    await retired('C-901');
    await retired('C-902');
    const project = await carriedBy('C-901');
    await asAfterAnUpgrade();

    const first = await start(peerUrl);
    expect(first).toEqual({
      seeded: true,
      warnings: [`cooperations seed: kept C-901, no longer shipped: projects still link to it (${project.id})`],
      asked: 2,
    });
    expect(await stored('C-901')).toBe(true);
    expect(await stored('C-902')).toBe(false);
    expect(await tombstones('C-902')).toEqual([{ actor: SEED_ACTOR }]);
    expect(await tombstones('C-901')).toEqual([]);
    // Not recorded as seeded: the next start seeds again, and asks again.
    expect(await seededFingerprint(server.database.prisma, COOPERATION_FEED.schema)).toBeNull();
    expect((await start(peerUrl)).asked).toBe(1);
    expect(await stored('C-901')).toBe(true);

    await unlink(project);
    expect(await start(peerUrl)).toEqual({ seeded: true, warnings: [], asked: 1 });
    expect(await stored('C-901')).toBe(false);
    expect(await tombstones('C-901')).toEqual([{ actor: SEED_ACTOR }]);
    expect(await seededFingerprint(server.database.prisma, COOPERATION_FEED.schema)).toBe(SHIPPED_DATA_FINGERPRINTS.at(-1));
    expect(await start(peerUrl)).toEqual({ seeded: false, warnings: [], asked: 0 });
  });

  it('keeps every one while projects cannot be asked (down, or not configured), and the start does not fail', async () => {
    await retired('C-903');
    await retired('C-904');
    await asAfterAnUpgrade();

    const down = await start(projectsAt(() => downUrl));
    expect(down.seeded).toBe(true);
    // Asked once: after the first failure the others are not asked, each would wait for its timeout.
    expect(down.asked).toBe(1);
    const unanswered =
      'projects could not be asked: The projects subgraph could not check which of its records link to this Cooperation (it does not answer). Nothing was written; send it again.';
    expect(down.warnings).toEqual([
      `cooperations seed: kept C-903, no longer shipped: ${unanswered}`,
      `cooperations seed: kept C-904, no longer shipped: ${unanswered}`,
    ]);
    expect(await start()).toEqual({
      seeded: true,
      warnings: [
        'cooperations seed: kept C-903, no longer shipped: no projects subgraph to ask',
        'cooperations seed: kept C-904, no longer shipped: no projects subgraph to ask',
      ],
      asked: 0,
    });
    expect(await stored('C-903')).toBe(true);
    expect(await stored('C-904')).toBe(true);
    expect(await seededFingerprint(server.database.prisma, COOPERATION_FEED.schema)).toBeNull();

    // Once projects answers, both go.
    expect(await start(peerUrl)).toEqual({ seeded: true, warnings: [], asked: 2 });
    expect(await stored('C-903')).toBe(false);
    expect(await stored('C-904')).toBe(false);
  });
});
