// A partner system through the gateway: follows the change feeds of projects and cooperations,
// writes idempotently, and reads the audit trail of its own writes (issue 18, server side).
import { testBearer } from '@regiograph/shared/testing';
import { startStack, type Stack } from './harness';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.stop();
});

// A partner system with a token of its own (an API key's token is the gateway's to mint: api-keys.test.ts).
const PARTNER = testBearer({ sub: 'partner-feed-test', scopes: ['projects:write', 'cooperations:write'] });
const AUDITOR = testBearer({ sub: 'auditor', scopes: ['audit:read'] });

interface Change {
  cursor: string;
  entityType: string;
  key: string;
  operation: string;
  version: number | null;
  actor: string | null;
}

type Feeds = {
  projectChanges: { changes: Change[]; endCursor: string; hasMore: boolean };
  cooperationChanges: { changes: Change[]; endCursor: string; hasMore: boolean };
};

const FEEDS = `query ($projects: String, $cooperations: String, $first: Int) {
  projectChanges(after: $projects, first: $first) { changes { cursor entityType key operation version actor } endCursor hasMore }
  cooperationChanges(after: $cooperations, first: $first) { changes { cursor entityType key operation version actor } endCursor hasMore }
}`;

const CREATE_PROJECT = `mutation ($input: CreateProjectInput!, $key: String) { createProject(input: $input, idempotencyKey: $key) { project { id version } errors { code } } }`;
type CreatedProject = { createProject: { project: { id: string; version: number } | null; errors: { code: string }[] } };

const projectInput = (title: string) => ({
  title,
  summary: 'Written by the partner-feed test.',
  kind: 'MODEL_PROJECT',
  topics: ['EDUCATION'],
  startDate: '2026-05-01',
  regions: [{ regionCode: '03159', role: 'LEAD' }],
});

describe('a partner following the change feeds through the gateway', () => {
  it('starts at the head, sees its writes once with their actor, and the tombstone of a delete', async () => {
    const head = await stack.query<Feeds>(FEEDS, { first: 0 });
    expect(head.errors).toBeUndefined();
    const start = { projects: head.data!.projectChanges.endCursor, cooperations: head.data!.cooperationChanges.endCursor };
    let cursors = start;

    const created = await stack.query<CreatedProject>(
      CREATE_PROJECT,
      { input: projectInput('Partner-Feed Projekt'), key: 'partner-feed-1' },
      PARTNER,
    );
    expect(created.data!.createProject.errors).toEqual([]);
    const project = created.data!.createProject.project!;
    const cooperation = await stack.query<{ createCooperation: { cooperation: { id: string } } }>(
      `mutation ($input: CreateCooperationInput!) { createCooperation(input: $input) { cooperation { id } errors { code } } }`,
      {
        input: {
          name: 'Partner-Feed Kooperation',
          kind: 'INTER_MUNICIPAL',
          founded: '2021-01-01',
          members: [{ regionCode: '03159', role: 'LEAD', validFrom: '2021-01-01' }],
        },
      },
      PARTNER,
    );
    const cooperationId = cooperation.data!.createCooperation.cooperation.id;
    const deleted = await stack.query<{ deleteProject: { errors: unknown[] } }>(
      `mutation ($id: ID!) { deleteProject(id: $id, expectedVersion: 1) { errors { code } } }`,
      { id: project.id },
      PARTNER,
    );
    expect(deleted.data!.deleteProject.errors).toEqual([]);

    const seen: Change[] = [];
    for (;;) {
      // With its own token, as a partner reads: its subject is shown on its own writes only.
      const page = await stack.query<Feeds>(FEEDS, { ...cursors, first: 50 }, PARTNER);
      expect(page.errors).toBeUndefined();
      seen.push(...page.data!.projectChanges.changes, ...page.data!.cooperationChanges.changes);
      cursors = { projects: page.data!.projectChanges.endCursor, cooperations: page.data!.cooperationChanges.endCursor };
      if (!page.data!.projectChanges.hasMore && !page.data!.cooperationChanges.hasMore) break;
    }
    const mine = seen.filter((change) => change.key === project.id || change.key === cooperationId);
    expect(mine.map((change) => [change.entityType, change.key, change.operation, change.version, change.actor])).toEqual([
      ['PROJECT', project.id, 'CREATED', 1, 'partner-feed-test'],
      ['PROJECT', project.id, 'DELETED', null, 'partner-feed-test'],
      ['COOPERATION', cooperationId, 'CREATED', 1, 'partner-feed-test'],
    ]);
    // Anyone else, here an anonymous reader, sees the same changes without the partner's subject.
    const anonymous = await stack.query<Feeds>(FEEDS, { ...start, first: 1000 });
    const theirs = [...anonymous.data!.projectChanges.changes, ...anonymous.data!.cooperationChanges.changes].filter(
      (change) => change.key === project.id || change.key === cooperationId,
    );
    expect(theirs.map((change) => [change.key, change.operation, change.actor])).toEqual(
      mine.map((change) => [change.key, change.operation, null]),
    );
    const gone = await stack.query(`query ($id: ID!) { project(id: $id) { id } }`, { id: project.id });
    expect(gone.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('reads a feed page at one SQL statement per subgraph, however long the page', async () => {
    for (const first of [1, 200]) {
      const { result, statements } = await stack.countStatements<Feeds>(FEEDS, { first });
      expect(result.errors).toBeUndefined();
      expect(result.data!.projectChanges.changes.length).toBe(first);
      expect(statements).toMatchObject({ projects: 1, cooperations: 1 });
    }
  });

  it('gets the first answer for a retried create, and IDEMPOTENCY_KEY_REUSED for another payload under the key', async () => {
    const input = projectInput('Partner-Feed Wiederholung');
    const first = await stack.query<CreatedProject>(CREATE_PROJECT, { input, key: 'partner-feed-retry' }, PARTNER);
    const retry = await stack.query<CreatedProject>(CREATE_PROJECT, { input, key: 'partner-feed-retry' }, PARTNER);
    expect(first.data!.createProject.errors).toEqual([]);
    expect(retry.data).toEqual(first.data);
    const other = await stack.query<CreatedProject>(
      CREATE_PROJECT,
      { input: projectInput('Anderes Projekt'), key: 'partner-feed-retry' },
      PARTNER,
    );
    expect(other.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const found = await stack.query<{ projects: { nodes: { title: string }[] } }>(
      `{ projects(filter: { search: "Wiederholung" }, first: 10) { nodes { title } } }`,
    );
    expect(found.data!.projects.nodes.filter((node) => node.title === 'Partner-Feed Wiederholung')).toHaveLength(1);
  });

  it('shows the partner its audit trail only with the audit scope', async () => {
    const AUDIT = `{ projectAuditTrail(actor: "partner-feed-test", first: 100) { entries { key operation actor changes { field newValue } } hasMore } }`;
    const refused = await stack.query(AUDIT, {}, PARTNER);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await stack.query(AUDIT, {});
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const trail = await stack.query<{
      projectAuditTrail: { entries: { key: string; operation: string; actor: string; changes: { field: string; newValue: unknown }[] }[] };
    }>(AUDIT, {}, AUDITOR);
    expect(trail.errors).toBeUndefined();
    const entries = trail.data!.projectAuditTrail.entries;
    expect(entries.every((entry) => entry.actor === 'partner-feed-test')).toBe(true);
    expect(entries.map((entry) => entry.operation)).toEqual(['CREATED', 'DELETED', 'CREATED']);
    expect(entries[0]!.changes).toContainEqual({ field: 'title', newValue: 'Partner-Feed Projekt' });
  });
});
