// Read replicas against a real streaming standby whose replay is delayed on purpose: the writer reads
// its own writes at once (its reads skip the lagging standby), other readers may see the standby's
// older state, a mutation reads on the primary, and reads fall back to the primary when the standby
// is down. A write that links to a record the same client has just created in another subgraph
// passes the position on with its check.
import pg from 'pg';
import * as cooperations from '@regiograph/cooperations';
import { createGateway, MemoryStore, type Gateway } from '@regiograph/gateway';
import * as projects from '@regiograph/projects';
import { silentLogger, type RunningServer } from '@regiograph/shared';
import { testBearer } from '@regiograph/shared/testing';
import { startPrimaryWithStandby, type PrimaryWithStandby } from './standby';

/** Long enough that every read of the first test happens before the standby replays the write (the test then lifts it). */
const APPLY_DELAY = '15s';
const HEADER = 'x-read-after-lsn';

let cluster: PrimaryWithStandby;
let subgraph: Awaited<ReturnType<typeof projects.createServer>>;
let subgraphRunning: RunningServer;
let cooperationsSubgraph: Awaited<ReturnType<typeof cooperations.createServer>>;
let cooperationsRunning: RunningServer;
let gateway: Gateway;
let gatewayUrl: string;

beforeAll(async () => {
  cluster = await startPrimaryWithStandby({ applyDelay: APPLY_DELAY });
  const replicas = { databaseUrl: cluster.primaryUrl, replicaUrls: [cluster.standbyUrl] };
  cooperationsSubgraph = await cooperations.createServer(replicas);
  cooperationsRunning = await cooperationsSubgraph.listen(0);
  subgraph = await projects.createServer({
    ...replicas,
    peerUrl: (name) => (name === 'cooperations' ? cooperationsRunning.url : undefined),
  });
  subgraphRunning = await subgraph.listen(0);
  // Only projects and cooperations exist here: every operation of this file stays inside them.
  const nowhere = 'http://127.0.0.1:9/graphql';
  gateway = await createGateway({
    subgraphUrls: { projects: subgraphRunning.url, regions: nowhere, indicators: nowhere, cooperations: cooperationsRunning.url },
    env: { NODE_ENV: 'development', RESPONSE_CACHE: 'false', WATCH_SUPERGRAPH: 'false', RATE_LIMIT_REQUESTS: '1000000' },
    store: new MemoryStore(),
    logger: silentLogger,
  });
  gatewayUrl = (await gateway.listen(0)).url;
}, 300_000);

afterAll(async () => {
  await gateway?.close();
  await subgraph?.close();
  await cooperationsSubgraph?.close();
  await cluster?.stop();
});

const EDITOR = testBearer({ sub: 'replica-test', name: 'Replica test', scopes: ['projects:write', 'cooperations:write'] });

async function post(query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown> | null; errors?: unknown[] };
  return { body, lsn: response.headers.get(HEADER) };
}

const CREATE_PROJECT = `mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } errors { field code } } }`;

function projectInput(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title,
    summary: 'Written by the replica test.',
    kind: 'MODEL_PROJECT',
    topics: ['MOBILITY'],
    startDate: '2026-03-01',
    regions: [{ regionCode: '03241', role: 'LEAD' }],
    ...extra,
  };
}

async function createProject(title: string): Promise<{ id: string; lsn: string }> {
  const { body, lsn } = await post(CREATE_PROJECT, { input: projectInput(title) }, EDITOR);
  expect(body.errors).toBeUndefined();
  expect(lsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
  return { id: (body.data!.createProject as { project: { id: string } }).project.id, lsn: lsn! };
}

/** The project's title, or null when the database that answered does not have the project (NOT_FOUND). */
async function readTitle(id: string, headers: Record<string, string> = {}): Promise<string | null> {
  const { body } = await post(`query($id: ID!) { project(id: $id) { title } }`, { id }, headers);
  const errors = (body.errors ?? []) as { extensions?: { code?: string } }[];
  if (errors.length === 1 && errors[0]!.extensions?.code === 'NOT_FOUND') return null;
  expect(body.errors).toBeUndefined();
  return (body.data!.project as { title: string }).title;
}

/** Whether the standby has replayed the WAL up to `lsn` (asked of the standby itself). */
async function standbyHasReplayed(lsn: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: cluster.standbyUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ done: boolean; recovering: boolean }>(
      'SELECT pg_is_in_recovery() AS recovering, pg_last_wal_replay_lsn() >= $1::pg_lsn AS done',
      [lsn],
    );
    expect(rows[0]!.recovering).toBe(true);
    return rows[0]!.done;
  } finally {
    await client.end();
  }
}

/** Runs `work` and counts the connections it took from the subgraph's primary and replica pools. */
async function acquisitions<T>(work: () => Promise<T>): Promise<{ result: T; primary: number; replica: number }> {
  const counts = { primary: 0, replica: 0 };
  const onPrimary = () => (counts.primary += 1);
  const onReplica = () => (counts.replica += 1);
  const primaryPool = subgraph.database.pool;
  const replicaPool = subgraph.database.replicaPools[0]!;
  primaryPool.on('acquire', onPrimary);
  replicaPool.on('acquire', onReplica);
  try {
    return { result: await work(), ...counts };
  } finally {
    primaryPool.off('acquire', onPrimary);
    replicaPool.off('acquire', onReplica);
  }
}

describe('read replicas with a streaming standby that replays late', () => {
  it('checks a link to a cooperation the same client has just created with the write position it sends', async () => {
    const created = await post(
      `mutation($input: CreateCooperationInput!) { createCooperation(input: $input) { cooperation { id } errors { code } } }`,
      {
        input: {
          name: 'Replica test cooperation',
          kind: 'OTHER',
          founded: '2020-01-01',
          members: [{ regionCode: '03241', validFrom: '2020-01-01' }],
        },
      },
      EDITOR,
    );
    expect(created.body.errors).toBeUndefined();
    const cooperationId = (created.body.data!.createCooperation as { cooperation: { id: string } }).cooperation.id;
    const lsn = created.lsn!;
    // Without the position, the cooperations subgraph answers the check from the standby, which has
    // not replayed the new cooperation: the link is refused, as for any key it does not hold.
    const blind = await post(CREATE_PROJECT, { input: projectInput('Replica test: blind link', { cooperationId }) }, EDITOR);
    expect(blind.body.data!.createProject).toEqual({ project: null, errors: [{ field: 'input.cooperationId', code: 'NOT_FOUND' }] });
    // With it, the projects subgraph passes it on with its check, which skips the lagging standby.
    const linked = await post(
      CREATE_PROJECT,
      { input: projectInput('Replica test: linked', { cooperationId }) },
      { ...EDITOR, [HEADER]: lsn },
    );
    expect(linked.body.errors).toBeUndefined();
    expect((linked.body.data!.createProject as { errors: unknown[] }).errors).toEqual([]);
    expect(await standbyHasReplayed(lsn)).toBe(false);
  });

  it('runs a write on a record created a moment ago without the position: a mutation reads on the primary', async () => {
    const { id, lsn } = await createProject('Replica test: changed at once');
    const changed = await post(
      `mutation($id: ID!) { changeProjectStatus(id: $id, status: RUNNING, expectedVersion: 1) { project { status version } errors { field code } } }`,
      { id },
      EDITOR,
    );
    expect(changed.body.errors).toBeUndefined();
    expect(changed.body.data!.changeProjectStatus).toEqual({ project: { status: 'RUNNING', version: 2 }, errors: [] });
    // The standby had not replayed the project: from it, the write's check would have answered NOT_FOUND.
    expect(await standbyHasReplayed(lsn)).toBe(false);
  });

  it('lets the writer read its write at once, while other readers may see the standby’s older state', async () => {
    const { id, lsn } = await createProject('Replica test: read your writes');
    // Another reader, without the write's position, is served by the standby, which has not replayed it.
    const other = await acquisitions(() => readTitle(id));
    expect({ title: other.result, primary: other.primary }).toEqual({ title: null, primary: 0 });
    // The writer sends the position back: its read skips the lagging standby for the primary.
    const writer = await acquisitions(() => readTitle(id, { [HEADER]: lsn }));
    expect(writer.result).toBe('Replica test: read your writes');
    expect(writer.primary).toBeGreaterThan(0);
    // Both reads happened while the standby was behind the write: it is really lagging.
    expect(await standbyHasReplayed(lsn)).toBe(false);

    // The lag is shown: the delay is lifted rather than slept through (the later tests of this file
    // need a standby that has replayed, not one that lags).
    await cluster.setApplyDelay('0');
    // Once the standby has replayed the write, every reader sees it there.
    const deadline = Date.now() + 120_000;
    while (!(await standbyHasReplayed(lsn))) {
      if (Date.now() > deadline) throw new Error('the standby did not replay the write within 120 s');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const read = await acquisitions(() => readTitle(id));
    expect(read.result).toBe('Replica test: read your writes');
    expect({ primary: read.primary, replica: read.replica > 0 }).toEqual({ primary: 0, replica: true });
  });

  it('a read that names a position the standby has replayed is served by the standby', async () => {
    const { id, lsn } = await createProject('Replica test: replayed');
    const deadline = Date.now() + 120_000;
    while (!(await standbyHasReplayed(lsn))) {
      if (Date.now() > deadline) throw new Error('the standby did not replay the write within 120 s');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const read = await acquisitions(() => readTitle(id, { [HEADER]: lsn }));
    expect(read.result).toBe('Replica test: replayed');
    expect({ primary: read.primary, replica: read.replica > 0 }).toEqual({ primary: 0, replica: true });
  });

  it('falls back to the primary when the standby is down', async () => {
    await cluster.stopStandby();
    try {
      const { id, lsn } = await createProject('Replica test: standby down');
      expect(await readTitle(id)).toBe('Replica test: standby down');
      expect(await readTitle(id, { [HEADER]: lsn })).toBe('Replica test: standby down');
    } finally {
      await cluster.startStandby();
    }
  });
});
