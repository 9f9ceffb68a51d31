import {
  COMPILED_FACTS_LICENCE,
  EDITOR_ENTRY_ATTRIBUTION,
  EDITOR_ENTRY_LICENCE,
  sourceHosts,
  SYNTHETIC_DATA_ATTRIBUTION,
  SYNTHETIC_DATA_LICENCE,
} from '@regiograph/shared';
import { testToken } from '@regiograph/shared/testing';
import { bearerHeaders, postGraphQL, type GraphQLResponse, type SubgraphServer } from '@regiograph/subgraph-kit';
import { startSeededServer } from './testing/server';
import { PROJECT_COUNT } from './synthetic';

let server: SubgraphServer;
let url: string;

/** A query to the server under test, as the editor of `token` when given. */
function query<T>(text: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLResponse<T>> {
  return postGraphQL<T>(url, text, variables, bearerHeaders(token));
}

beforeAll(async () => {
  ({ server, url } = await startSeededServer());
});

afterAll(async () => {
  await server?.close();
});

const EDITED_SYNTHETIC_LICENCE = `${SYNTHETIC_DATA_LICENCE} for the generated record. Changed since by an editor through the RegioGraph API; the licence of the changes is not stated.`;
/** The attribution of a synthetic project an editor changed: the synthetic text, the note and a day. */
const EDITED_SYNTHETIC_ATTRIBUTION = `${SYNTHETIC_DATA_ATTRIBUTION}; changed since by an editor through the RegioGraph API, last on `;

/** Today's UTC day, the day the attribution names for a change made now (read before and after the change). */
function today(): string {
  return new Date().toISOString().slice(0, 10);
}

interface Provenance {
  source: string | null;
  licence: string;
  attribution: string;
}

describe('licence and attribution of every record', () => {
  it('gives every synthetic project the synthetic demonstration data licence and attribution, and every other one an editor’s', async () => {
    const projects: (Provenance & { synthetic: boolean; version: number })[] = [];
    let after: string | null = null;
    do {
      const page: GraphQLResponse<{
        projects: {
          nodes: (Provenance & { synthetic: boolean; version: number })[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
      }> = await query(
        'query ($after: String) { projects(first: 200, after: $after) { nodes { synthetic version source licence attribution } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
      expect(page.errors).toBeUndefined();
      projects.push(...page.data!.projects.nodes);
      after = page.data!.projects.pageInfo.hasNextPage ? page.data!.projects.pageInfo.endCursor : null;
    } while (after);
    // Other test files of this Jest worker share its database and may have created or changed projects
    // by then: every project present is checked, the seed's synthetic ones (seeded once, at version 1:
    // a later version is an editor's change) and any an editor created.
    expect(projects.filter((project) => project.synthetic).length).toBeGreaterThanOrEqual(PROJECT_COUNT);
    for (const project of projects) {
      const { version, ...shown } = project;
      if (project.synthetic && version > 1) {
        expect(shown.licence).toBe(EDITED_SYNTHETIC_LICENCE);
        expect(shown.attribution.slice(0, EDITED_SYNTHETIC_ATTRIBUTION.length)).toBe(EDITED_SYNTHETIC_ATTRIBUTION);
        expect(shown.attribution.slice(EDITED_SYNTHETIC_ATTRIBUTION.length)).toMatch(/^\d{4}-\d{2}-\d{2} \(UTC\)$/);
        continue;
      }
      expect(shown).toEqual({
        synthetic: project.synthetic,
        source: project.source,
        ...(project.synthetic
          ? { licence: SYNTHETIC_DATA_LICENCE, attribution: SYNTHETIC_DATA_ATTRIBUTION }
          : { licence: EDITOR_ENTRY_LICENCE, attribution: EDITOR_ENTRY_ATTRIBUTION }),
      });
    }
  });

  it('names the pages every real funding programme’s facts were compiled from, claiming no licence of them', async () => {
    const { data, errors } = await query<{ fundingProgrammes: (Provenance & { code: string })[] }>(
      '{ fundingProgrammes { code source licence attribution } }',
    );
    expect(errors).toBeUndefined();
    expect(data!.fundingProgrammes.length).toBeGreaterThan(0);
    for (const programme of data!.fundingProgrammes) {
      const hosts = sourceHosts(programme.source);
      expect(hosts.length).toBeGreaterThan(0);
      expect(programme.licence).toBe(COMPILED_FACTS_LICENCE);
      expect(programme.attribution).toMatch(/^Compiled by RegioGraph from the pages of /);
      for (const host of hosts) expect(programme.attribution).toContain(host);
    }
  });

  it('says that an editor’s project states no licence, whatever source the editor gave', async () => {
    const editor = testToken({ sub: 'provenance-editor', name: 'Provenance editor', scopes: ['projects:write'] });
    const input = {
      title: 'Provenienzprobe',
      summary: 'Created by a test.',
      kind: 'STUDY',
      topics: ['MOBILITY'],
      startDate: '2026-01-01',
      regions: [{ regionCode: '03459', role: 'LEAD' }],
    };
    const create =
      'mutation ($input: CreateProjectInput!) { createProject(input: $input) { project { synthetic source licence attribution } } }';
    const defaulted = await query<{ createProject: { project: Provenance & { synthetic: boolean } } }>(create, { input }, editor);
    expect(defaulted.data!.createProject.project).toEqual({
      synthetic: false,
      source: 'Entered via the RegioGraph API by a state-wide editor',
      licence: EDITOR_ENTRY_LICENCE,
      attribution: EDITOR_ENTRY_ATTRIBUTION,
    });
    const stated = await query<{ createProject: { project: Provenance } }>(
      create,
      { input: { ...input, source: 'https://example.org/study.pdf' } },
      editor,
    );
    expect(stated.data!.createProject.project).toEqual({
      synthetic: false,
      source: 'https://example.org/study.pdf',
      licence: EDITOR_ENTRY_LICENCE,
      attribution: EDITOR_ENTRY_ATTRIBUTION,
    });
    // The source is public: it names the editor's office, never the person (docs/privacy.md).
    const districtEditor = testToken({ sub: 'editor-4711', name: 'Erika Mustermann', scopes: ['projects:write'], district: '033' });
    const byOffice = await query<{ createProject: { project: Provenance } }>(
      create,
      { input: { ...input, regions: [{ regionCode: '03355', role: 'LEAD' }] } },
      districtEditor,
    );
    expect(byOffice.data!.createProject.project.source).toBe(
      'Entered via the RegioGraph API by an editor of the Amt für regionale Landesentwicklung Lüneburg (033)',
    );
  });

  it('says that a synthetic project an editor changed through any mutation was changed since, and on which day', async () => {
    const editor = testToken({ sub: 'provenance-editor', name: 'Provenance editor', scopes: ['projects:write'] });
    const listed = await query<{ projects: { nodes: { id: string; version: number; status: string; funding: { id: string }[] }[] } }>(
      '{ projects(first: 200) { nodes { id version status funding { id } } } }',
    );
    // Three untouched synthetic projects, one for each kind of write: the project, its status, its funding.
    const untouched = listed.data!.projects.nodes.filter((project) => project.version === 1);
    const restated = untouched.find((project) => project.status === 'PLANNED')!;
    const funded = untouched.find((project) => project.funding.length > 0 && project.id !== restated.id)!;
    const updated = untouched.find((project) => project.id !== restated.id && project.id !== funded.id)!;
    const provenanceOf = async (id: string) =>
      (
        await query<{ project: Provenance & { synthetic: boolean; updatedAt: string } }>(
          'query ($id: ID!) { project(id: $id) { synthetic source licence attribution updatedAt } }',
          { id },
        )
      ).data!.project;
    const before = await provenanceOf(updated.id);
    expect(before).toEqual({
      synthetic: true,
      source: before.source,
      licence: SYNTHETIC_DATA_LICENCE,
      attribution: SYNTHETIC_DATA_ATTRIBUTION,
      updatedAt: before.updatedAt,
    });
    // The day shown is the last write's: every mutation moves updatedAt, the seed's write is older.
    const seededAt = await Promise.all([updated.id, restated.id, funded.id].map(async (id) => (await provenanceOf(id)).updatedAt));

    const dayBefore = today();
    const writes = await Promise.all([
      query(
        'mutation ($input: UpdateProjectInput!) { updateProject(input: $input) { errors { field } } }',
        { input: { id: updated.id, expectedVersion: 1, summary: 'Vom Amt ergänzt (provenance test).' } },
        editor,
      ),
      query(
        'mutation ($id: ID!) { changeProjectStatus(id: $id, status: RUNNING, expectedVersion: 1) { errors { field } } }',
        { id: restated.id },
        editor,
      ),
      query(
        'mutation ($input: UpdateFundingInput!) { updateFunding(input: $input) { errors { field } } }',
        { input: { id: funded.funding[0]!.id, amountCents: 12_300_000 } },
        editor,
      ),
    ]);
    const dayAfter = today();
    for (const write of writes) expect(JSON.stringify(write)).toMatch(/"errors":\[\]/);
    for (const [index, id] of [updated.id, restated.id, funded.id].entries()) {
      const after = await provenanceOf(id);
      expect(after.synthetic).toBe(true);
      expect(Date.parse(after.updatedAt)).toBeGreaterThan(Date.parse(seededAt[index]!));
      expect(after.licence).toBe(EDITED_SYNTHETIC_LICENCE);
      expect([dayBefore, dayAfter].map((day) => `${EDITED_SYNTHETIC_ATTRIBUTION}${day} (UTC)`)).toContain(after.attribution);
    }
  });
});
