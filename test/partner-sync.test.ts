// Issue 18's Done-when, through the gateway: the example partner sync (examples/partner-sync.ts, a
// process of its own, --follow) mirrors projects and cooperations while ANOTHER process
// (scripts/partner-writer.ts) creates, updates and deletes them for 30 s, with overlapping
// transactions; afterwards a --once run catches up and the mirror must equal the source record for
// record. The audit trail must show every acknowledged write with the writer as actor, and a create
// whose answer was lost and retried by the typed client with the same idempotency key must exist once.
// The 30 s are the duration of load, not a timing assertion.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  CooperationAuditTrailDocument,
  CooperationsPageDocument,
  CreateProjectDocument,
  GraphQLRequestError,
  ProjectAuditTrailDocument,
  ProjectsPageDocument,
  createClient,
  type CooperationAuditTrailQuery,
  type CooperationRecordFragment,
  type CooperationsPageQuery,
  type ProjectAuditTrailQuery,
  type ProjectRecordFragment,
  type ProjectsPageQuery,
  type RegioGraphClient,
} from '@regiograph/client';
import { ownTestDatabase, type ProvidedDatabase } from '@regiograph/db';
import { testToken } from '@regiograph/shared/testing';
import { startStack, type Stack } from './harness';
import type { AcknowledgedWrite, WriterLog } from './scripts/partner-writer';

const root = path.join(__dirname, '..');
const WRITE_SECONDS = 30;
const WRITER = { sub: 'partner-sync-writer', name: 'Partner-sync test writer', scopes: ['projects:write', 'cooperations:write'] };
const editorToken = testToken(WRITER);
const auditorToken = testToken({ sub: 'partner-sync-auditor', name: 'Partner-sync test auditor', scopes: ['audit:read'] });

interface Mirror {
  cursors: { projects: string | null; cooperations: string | null };
  projects: Record<string, ProjectRecordFragment>;
  cooperations: Record<string, CooperationRecordFragment>;
}

interface Child {
  done: Promise<number | null>;
  output: () => string;
  stop: () => void;
}

/**
 * Runs a TypeScript file in a process of its own, collecting what it prints. tsx is loaded into that
 * process (`--import tsx`) rather than run as its CLI: the CLI starts the script in a second process
 * and relays SIGTERM to it, and when the script has not confirmed the signal within 30 ms it kills
 * the script and exits 143. On a loaded machine the follower stopped that way instead of by its own
 * handler (seen in CI: exit 143 after "caught up").
 */
function run(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const done = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { done, output: () => output, stop: () => child.kill('SIGTERM') };
}

async function allProjects(client: RegioGraphClient): Promise<Record<string, ProjectRecordFragment>> {
  const records: Record<string, ProjectRecordFragment> = {};
  for (let after: string | null = null; ;) {
    const { projects }: ProjectsPageQuery = await client.request(ProjectsPageDocument, { first: 200, after });
    for (const node of projects.nodes) records[node.id] = node;
    if (!projects.pageInfo.hasNextPage) return records;
    after = projects.pageInfo.endCursor ?? null;
  }
}

async function allCooperations(client: RegioGraphClient): Promise<Record<string, CooperationRecordFragment>> {
  const records: Record<string, CooperationRecordFragment> = {};
  for (let after: string | null = null; ;) {
    const { cooperations }: CooperationsPageQuery = await client.request(CooperationsPageDocument, { first: 200, after });
    for (const node of cooperations.nodes) records[node.id] = node;
    if (!cooperations.pageInfo.hasNextPage) return records;
    after = cooperations.pageInfo.endCursor ?? null;
  }
}

interface AuditRow {
  entity: AcknowledgedWrite['entity'];
  operation: string;
  key: string;
  version: number | null;
  actor: string;
  changes: { field: string; oldValue?: unknown; newValue?: unknown }[];
}

async function auditOf(client: RegioGraphClient, actor: string): Promise<AuditRow[]> {
  const rows: AuditRow[] = [];
  for (let after: string | null = null; ;) {
    const { projectAuditTrail }: ProjectAuditTrailQuery = await client.request(ProjectAuditTrailDocument, { actor, after, first: 200 });
    rows.push(...projectAuditTrail.entries.map((entry) => ({ entity: 'project' as const, ...entry })));
    after = projectAuditTrail.endCursor;
    if (!projectAuditTrail.hasMore) break;
  }
  for (let after: string | null = null; ;) {
    const { cooperationAuditTrail }: CooperationAuditTrailQuery = await client.request(CooperationAuditTrailDocument, {
      actor,
      after,
      first: 200,
    });
    rows.push(...cooperationAuditTrail.entries.map((entry) => ({ entity: 'cooperation' as const, ...entry })));
    after = cooperationAuditTrail.endCursor;
    if (!cooperationAuditTrail.hasMore) break;
  }
  return rows;
}

const byKey = (a: { entity: string; key: string; operation: string; version: number | null }, b: typeof a) =>
  `${a.entity} ${a.key} ${a.operation} ${String(a.version).padStart(6, '0')}`.localeCompare(
    `${b.entity} ${b.key} ${b.operation} ${String(b.version).padStart(6, '0')}`,
  );

let database: ProvidedDatabase | null = null;
let stack: Stack;
let work: string;

beforeAll(async () => {
  // The writer's records must not reach other test files' counts: under npm test this file gets its
  // own copy of the run's seeded template, a lone run a migrated one that the stack seeds.
  database = await ownTestDatabase();
  stack = await startStack({ databaseUrl: database.url });
  work = mkdtempSync(path.join(os.tmpdir(), 'regiograph-partner-sync-'));
}, 600_000);

afterAll(async () => {
  await stack?.stop();
  await database?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('partner sync', () => {
  it(`keeps a mirror equal to the source while another process writes for ${WRITE_SECONDS} s, and the audit trail shows every write with its actor`, async () => {
    const out = path.join(work, 'mirror.json');
    const writesFile = path.join(work, 'writes.json');
    const follower = run('examples/partner-sync.ts', ['--url', stack.gatewayUrl, '--out', out, '--follow', '--interval', '500']);
    const writer = run(
      path.join('test', 'scripts', 'partner-writer.ts'),
      ['--url', stack.gatewayUrl, '--log', writesFile, '--seconds', String(WRITE_SECONDS)],
      { REGIOGRAPH_TOKEN: editorToken },
    );

    expect({ writer: await writer.done, output: writer.output() }).toEqual({
      writer: 0,
      output: expect.stringContaining('[partner-writer]'),
    });
    follower.stop();
    expect({ follower: await follower.done, output: follower.output() }).toEqual({
      follower: 0,
      output: expect.stringMatching(/caught up: [1-9]\d* changes applied/),
    });
    const once = run('examples/partner-sync.ts', ['--url', stack.gatewayUrl, '--out', out, '--once']);
    expect({ once: await once.done, output: once.output() }).toEqual({ once: 0, output: expect.stringContaining('caught up') });
    console.log(
      `partner sync: ${writer.output().trim()}\nfollower: ${follower.output().trim().split('\n').slice(-2).join(' / ')}\nonce: ${once.output().trim()}`,
    );

    // The writer really wrote, of every kind, with overlapping transactions, and nothing else failed.
    const log = JSON.parse(readFileSync(writesFile, 'utf8')) as WriterLog;
    expect(log.failures).toEqual([]);
    const kinds = new Set(log.writes.map((write) => `${write.entity} ${write.operation}`));
    expect([...kinds].sort()).toEqual([
      'cooperation CREATED',
      'cooperation DELETED',
      'cooperation UPDATED',
      'project CREATED',
      'project DELETED',
      'project UPDATED',
    ]);
    expect(log.conflicts).toBeGreaterThan(0);

    // Record for record: the mirror equals everything the API now answers.
    const reader = createClient({ url: stack.gatewayUrl });
    const mirror = JSON.parse(readFileSync(out, 'utf8')) as Mirror;
    const [projects, cooperations] = await Promise.all([allProjects(reader), allCooperations(reader)]);
    expect(Object.keys(mirror.projects).sort()).toEqual(Object.keys(projects).sort());
    expect(Object.keys(mirror.cooperations).sort()).toEqual(Object.keys(cooperations).sort());
    expect(mirror.projects).toEqual(projects);
    expect(mirror.cooperations).toEqual(cooperations);
    // …and the writer's last word on each record is what both hold.
    const lastWrite = new Map(log.writes.map((write) => [`${write.entity} ${write.key}`, write]));
    for (const write of lastWrite.values()) {
      const record = write.entity === 'project' ? mirror.projects[write.key] : mirror.cooperations[write.key];
      if (write.operation === 'DELETED') expect({ write, record }).toEqual({ write, record: undefined });
      else expect({ write, version: record?.version }).toEqual({ write, version: write.version });
    }

    // The audit trail holds each acknowledged write once, under the writer's subject, and nothing else of it.
    const audit = await auditOf(createClient({ url: stack.gatewayUrl, token: auditorToken }), WRITER.sub);
    expect(audit.every((row) => row.actor === WRITER.sub)).toBe(true);
    const audited = audit.map(({ entity, operation, key, version }) => ({
      entity,
      operation,
      key,
      version: operation === 'DELETED' ? null : version,
    }));
    const written = log.writes.map(({ entity, operation, key, version }) => ({
      entity,
      operation,
      key,
      version: operation === 'DELETED' ? null : version,
    }));
    expect(audited.sort(byKey)).toEqual(written.sort(byKey));
    const update = log.writes.find((write) => write.entity === 'project' && write.operation === 'UPDATED')!;
    const updateRow = audit.find((row) => row.entity === 'project' && row.key === update.key && row.version === update.version)!;
    expect(updateRow.changes).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'title', newValue: expect.stringContaining(update.key) })]),
    );
  }, 600_000);

  it('a create whose answer timed out is retried with the same idempotency key and exists once, with the first answer', async () => {
    // A proxy in front of the gateway that lets the first mutation run but answers it only after the
    // client has given up waiting (its timeout): the write is committed, the client never hears of it.
    const bodies: { idempotencyKey?: string }[] = [];
    const first: { answer?: Promise<{ status: number; text: string }> } = {};
    const proxy = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        void (async () => {
          const body = Buffer.concat(chunks).toString();
          const parsed = JSON.parse(body) as { query: string; variables?: { idempotencyKey?: string } };
          const headers = { 'content-type': 'application/json', authorization: request.headers.authorization ?? '' };
          const forward = () =>
            fetch(stack.gatewayUrl, { method: 'POST', headers, body }).then(async (answer) => ({
              status: answer.status,
              text: await answer.text(),
            }));
          if (parsed.query.trimStart().startsWith('mutation')) bodies.push(parsed.variables ?? {});
          if (parsed.query.trimStart().startsWith('mutation') && !first.answer) {
            const clientGone = new Promise((resolve) => response.once('close', resolve));
            first.answer = forward();
            await Promise.all([first.answer, clientGone]);
            return;
          }
          await first.answer;
          const answer = await forward();
          response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.text);
        })();
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const client = createClient({
        url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/graphql`,
        token: editorToken,
        timeoutMs: 1000,
        retries: 2,
        retryDelayMs: 10,
      });
      const title = `Retried create ${Date.now()} (synthetic)`;
      const input = {
        title,
        summary: 'Created once, although its answer was lost and the client retried.',
        kind: 'STUDY' as const,
        topics: ['DEMOGRAPHY' as const],
        startDate: '2026-05-01',
        regions: [{ regionCode: '03101', role: 'LEAD' as const }],
      };
      const { createProject } = await client.request(CreateProjectDocument, { input });
      expect(createProject.errors).toEqual([]);
      expect(bodies).toHaveLength(2);
      expect(bodies[0]!.idempotencyKey).toEqual(expect.any(String));
      expect(bodies[1]!.idempotencyKey).toBe(bodies[0]!.idempotencyKey);
      const lost = JSON.parse((await first.answer!).text) as { data: { createProject: { project: ProjectRecordFragment } } };
      expect(createProject.project).toEqual(lost.data.createProject.project);

      const direct = createClient({ url: stack.gatewayUrl, token: editorToken });
      const matching = Object.values(await allProjects(direct)).filter((project) => project.title === title);
      expect(matching.map((project) => project.id)).toEqual([createProject.project!.id]);
      // The same key once more returns the first result; with other arguments it is refused.
      const again = await direct.request(CreateProjectDocument, { input, idempotencyKey: bodies[0]!.idempotencyKey });
      expect(again.createProject.project).toEqual(createProject.project);
      const reused = await direct
        .request(CreateProjectDocument, { input: { ...input, title: `${title} changed` }, idempotencyKey: bodies[0]!.idempotencyKey })
        .catch((error: unknown) => error);
      expect(reused).toBeInstanceOf(GraphQLRequestError);
      expect((reused as GraphQLRequestError).codes).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  }, 120_000);

  it('answers a wrong command line with the usage and exit code 2, and an unreachable gateway with one line', async () => {
    const out = path.join(mkdtempSync(path.join(work, 'args-')), 'mirror.json');
    for (const args of [
      ['--bogus'],
      ['--url', stack.gatewayUrl, '--out', out, '--once', '--page-size', 'x'],
      ['--url', stack.gatewayUrl, '--out', out],
    ]) {
      const child = run('examples/partner-sync.ts', args);
      expect(await child.done).toBe(2);
      expect(child.output()).toContain('usage: npx tsx examples/partner-sync.ts');
    }
    const unreachable = run('examples/partner-sync.ts', ['--url', 'http://127.0.0.1:9/graphql', '--out', out, '--once']);
    expect(await unreachable.done).toBe(1);
    expect(unreachable.output().trim()).toMatch(/^\[partner-sync\] request failed: .*\(after \d+ attempts\)$/);
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});
