// A database seeded by an earlier release gets the shipped portfolio at the next start, and keeps
// what people wrote. In a database of its own (migrated, then seeded here): the worker's database,
// which other files of this workspace read, is not rewritten.
import { provideScratchDatabase, type ProvidedDatabase } from '@regiograph/db';
import { DEVELOPMENT_AUTH_SECRET } from '@regiograph/shared';
import { testToken } from '@regiograph/shared/testing';
import {
  bearerHeaders,
  holdTransaction,
  postGraphQL,
  seededFingerprint,
  untilALockIsAwaited,
  type SubgraphServer,
} from '@regiograph/subgraph-kit';
import { PROJECT_FEED } from './change-feed';
import { programmePeriod } from './landscape';
import { createServer, seed, seedIfEmpty } from './server';
import { SHIPPED_DATA_FINGERPRINTS } from './shipped-data';

let database: ProvidedDatabase;
let server: SubgraphServer;
let url: string;

beforeAll(async () => {
  database = await provideScratchDatabase({ serverUrl: process.env.TEST_DATABASE_URL, migrated: true });
  server = await createServer({ databaseUrl: database.url, authSecret: DEVELOPMENT_AUTH_SECRET });
  url = (await server.listen(0)).url;
}, 120_000);

afterAll(async () => {
  await server?.close();
  await database?.stop();
});

const EDITOR = testToken(
  { sub: 'upgrade-editor', name: 'Upgrade editor', scopes: ['projects:write'] },
  { secret: DEVELOPMENT_AUTH_SECRET },
);

async function versions(): Promise<Map<string, number>> {
  const rows = await server.database.prisma.project.findMany({ select: { id: true, version: true } });
  return new Map(rows.map((row) => [row.id, row.version]));
}

async function lastPosition(): Promise<bigint> {
  const last = await server.database.prisma.projectChangeLog.findFirst({ orderBy: { position: 'desc' }, select: { position: true } });
  return last?.position ?? 0n;
}

describe('shipped portfolio on an upgraded database', () => {
  it('seeds an empty database, records what it seeded, and finds nothing to do at the next start', async () => {
    const summary = await seed(server.database.prisma);
    // After a change to the shipped data or its generator, append this value to SHIPPED_DATA_FINGERPRINTS (shipped-data.ts).
    expect(summary.fingerprint).toBe(SHIPPED_DATA_FINGERPRINTS.at(-1));
    expect(await seededFingerprint(server.database.prisma, PROJECT_FEED.schema)).toBe(SHIPPED_DATA_FINGERPRINTS.at(-1));
    expect(await seedIfEmpty(server.database)).toBe(false);
    // Seeding again with the same data writes nothing: no version moves, the feed reports nothing.
    const before = await versions();
    const after = await lastPosition();
    await seed(server.database.prisma);
    expect(await versions()).toEqual(before);
    expect(await lastPosition()).toBe(after);
  });

  it('stores every commitment within its programme’s stated period and its project’s years', async () => {
    // Every funding row the seed wrote (the database holds nothing else yet), with its project's years.
    const rows = await server.database.prisma.funding.findMany({
      select: { programmeCode: true, commitmentYear: true, project: { select: { id: true, startDate: true, endDate: true } } },
    });
    expect(rows.length).toBeGreaterThan(100);
    const violations = rows.flatMap(({ programmeCode, commitmentYear, project }) => {
      const { firstYear, lastYear } = programmePeriod(programmeCode);
      const from = Math.max(firstYear ?? -Infinity, project.startDate.getUTCFullYear());
      const to = Math.min(lastYear ?? Infinity, project.endDate?.getUTCFullYear() ?? Infinity);
      return commitmentYear < from || commitmentYear > to ? [`${project.id} ${programmeCode} ${commitmentYear}`] : [];
    });
    expect(violations).toEqual([]);
  });

  it('writes again what the portfolio changed, at the next version, and keeps what an editor changed or deleted', async () => {
    const { prisma } = server.database;
    const changed = await prisma.project.findFirstOrThrow({
      where: { synthetic: true, findings: { some: {} } },
      include: { findings: true },
    });
    const [edited, deleted] = await prisma.project.findMany({
      where: { synthetic: true, id: { not: changed.id } },
      orderBy: { id: 'asc' },
      take: 2,
    });
    // What an earlier release had written: another title and one finding less.
    await prisma.project.update({ where: { id: changed.id }, data: { title: 'An earlier release titled it so.' } });
    await prisma.finding.deleteMany({ where: { projectId: changed.id } });
    await prisma.projectsSeedState.deleteMany(); // as a release before fingerprints left it
    // An editor changes one project and deletes another; an earlier release had a different summary for the first.
    const update = await postGraphQL(
      url,
      `mutation ($input: UpdateProjectInput!) { updateProject(input: $input) { project { version } errors { field } } }`,
      { input: { id: edited!.id, expectedVersion: edited!.version, summary: 'Vom Amt ergänzt.' } },
      bearerHeaders(EDITOR),
    );
    expect(update).toEqual({ data: { updateProject: { project: { version: edited!.version + 1 }, errors: [] } } });
    const removal = await postGraphQL(
      url,
      `mutation ($id: ID!, $expectedVersion: Int!) { deleteProject(id: $id, expectedVersion: $expectedVersion) { errors { field } } }`,
      { id: deleted!.id, expectedVersion: deleted!.version },
      bearerHeaders(EDITOR),
    );
    expect(removal).toEqual({ data: { deleteProject: { errors: [] } } });
    await prisma.project.update({ where: { id: edited!.id }, data: { title: 'An earlier release titled it so.' } });
    const before = await versions();
    const after = await lastPosition();

    expect(await seedIfEmpty(server.database)).toBe(true);

    const now = await versions();
    const restored = await prisma.project.findUniqueOrThrow({ where: { id: changed.id }, include: { findings: true } });
    expect(restored.title).toBe(changed.title);
    expect(restored.findings.map((finding) => finding.text)).toEqual(changed.findings.map((finding) => finding.text));
    expect(now.get(changed.id)).toBe(before.get(changed.id)! + 1);
    const kept = await prisma.project.findUniqueOrThrow({ where: { id: edited!.id } });
    expect([kept.title, kept.summary, kept.version]).toEqual([
      'An earlier release titled it so.',
      'Vom Amt ergänzt.',
      before.get(edited!.id),
    ]);
    expect(now.has(deleted!.id)).toBe(false);
    // Nothing else changed, and the feed reports the one project (and its fundings, written anew).
    expect([...now].filter(([id, version]) => id !== changed.id && before.get(id) !== version)).toEqual([]);
    const changes = await prisma.projectChangeLog.findMany({
      where: { position: { gt: after }, entityType: 'PROJECT' },
      select: { key: true, operation: true, version: true, actor: true },
    });
    expect(changes).toEqual([{ key: changed.id, operation: 'UPDATED', version: before.get(changed.id)! + 1, actor: 'seed' }]);
    expect(await seededFingerprint(prisma, PROJECT_FEED.schema)).toBe(SHIPPED_DATA_FINGERPRINTS.at(-1));
    expect(await seedIfEmpty(server.database)).toBe(false);
  });

  it('never deletes a project people entered under a key the portfolio uses', async () => {
    const { prisma } = server.database;
    const shipped = await prisma.project.findFirstOrThrow({ where: { synthetic: true }, orderBy: { id: 'desc' } });
    // An editor's project, entered before the change feed existed, under a key the generator uses now.
    await prisma.project.delete({ where: { id: shipped.id } });
    const { id, summary, kind, status, topics, startDate, endDate, districtCode, cooperationId } = shipped;
    await prisma.project.create({
      data: {
        id,
        summary,
        kind,
        status,
        topics,
        startDate,
        endDate,
        districtCode,
        cooperationId,
        title: 'Eingetragen vom Amt',
        synthetic: false,
        source: 'editor',
      },
    });
    await prisma.projectsSeedState.deleteMany(); // as a release before fingerprints left it
    expect(await seedIfEmpty(server.database)).toBe(true);
    expect(await prisma.project.findUniqueOrThrow({ where: { id: shipped.id } })).toMatchObject({
      title: 'Eingetragen vom Amt',
      synthetic: false,
    });
  });

  it("waits for an editor's write in flight on a synthetic project, so that it cannot overwrite it unseen", async () => {
    const { prisma } = server.database;
    await prisma.projectsSeedState.deleteMany(); // as a release before fingerprints left it
    const project = await prisma.project.findFirstOrThrow({ where: { synthetic: true }, orderBy: { id: 'desc' } });
    // What an editor's write holds until it commits: its project's row.
    const editor = holdTransaction(prisma, async (tx) => {
      await tx.$queryRaw`SELECT id FROM projects.project WHERE id = ${project.id} FOR UPDATE`;
    });
    await editor.holding;
    let settled = false;
    const seeding = seedIfEmpty(server.database).finally(() => (settled = true));
    await untilALockIsAwaited(prisma, () => settled);
    const waited = !settled;
    editor.release();
    await editor.done;
    expect(await seeding).toBe(true);
    expect(waited).toBe(true);
  });
});
