import {
  COMPILED_FACTS_LICENCE,
  DEVELOPMENT_AUTH_SECRET,
  EDITOR_ENTRY_ATTRIBUTION,
  EDITOR_ENTRY_LICENCE,
  mintToken,
  sourceHosts,
  SYNTHETIC_DATA_ATTRIBUTION,
  SYNTHETIC_DATA_LICENCE,
} from '@regiograph/shared';
import type { SubgraphServer } from '@regiograph/subgraph-kit';
import { createServer, seedIfEmpty } from './server';
import { PROJECT_COUNT } from './synthetic';

let server: SubgraphServer;
let url: string;

interface Result<T> {
  data?: T;
  errors?: { message: string }[];
}

async function query<T>(text: string, variables: Record<string, unknown> = {}, token?: string): Promise<Result<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: text, variables }),
  });
  return (await response.json()) as Result<T>;
}

beforeAll(async () => {
  server = await createServer({ databaseUrl: process.env.TEST_DATABASE_URL!, authSecret: DEVELOPMENT_AUTH_SECRET });
  await seedIfEmpty(server.database);
  url = (await server.listen(0)).url;
});

afterAll(async () => {
  await server?.close();
});

interface Provenance {
  source: string | null;
  licence: string;
  attribution: string;
}

describe('licence and attribution of every record', () => {
  it('gives every synthetic project the synthetic demonstration data licence and attribution, and every other one an editor’s', async () => {
    const projects: (Provenance & { synthetic: boolean })[] = [];
    let after: string | null = null;
    do {
      const page: Result<{
        projects: { nodes: (Provenance & { synthetic: boolean })[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
      }> = await query(
        'query ($after: String) { projects(first: 200, after: $after) { nodes { synthetic source licence attribution } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
      expect(page.errors).toBeUndefined();
      projects.push(...page.data!.projects.nodes);
      after = page.data!.projects.pageInfo.hasNextPage ? page.data!.projects.pageInfo.endCursor : null;
    } while (after);
    // Other test files of this Jest worker share its database and may have created projects by then:
    // every project present is checked, the seed's synthetic ones and any an editor created.
    expect(projects.filter((project) => project.synthetic).length).toBeGreaterThanOrEqual(PROJECT_COUNT);
    for (const project of projects) {
      expect(project).toEqual({
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
    const editor = mintToken(
      { sub: 'provenance-editor', name: 'Provenance editor', scopes: ['projects:write'] },
      { secret: DEVELOPMENT_AUTH_SECRET, expiresIn: '10m' },
    );
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
      source: 'Entered via the RegioGraph API by Provenance editor (provenance-editor)',
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
  });
});
