import {
  COMPILED_FACTS_LICENCE,
  EDITOR_ENTRY_ATTRIBUTION,
  EDITOR_ENTRY_LICENCE,
  sourceHosts,
  SYNTHETIC_DATA_ATTRIBUTION,
  SYNTHETIC_DATA_LICENCE,
} from '@regiograph/shared';
import type { SubgraphServer } from '@regiograph/subgraph-kit';
import { createServer, seed } from './server';
import { MANUAL_SOURCE } from './schema/provenance';
import { bearer, postGraphQL } from './testing/client';

let server: SubgraphServer;
let url: string;

beforeAll(async () => {
  server = await createServer({ databaseUrl: process.env.TEST_DATABASE_URL! });
  await seed(server.database.prisma);
  url = (await server.listen(0)).url;
});

afterAll(async () => {
  await server?.close();
});

interface Provenance {
  source: string;
  licence: string;
  attribution: string;
}

/** A real record names the host of every page in its source and claims no licence of them. */
function expectCompiledFrom(record: Provenance, publisher?: string): void {
  expect(record.licence).toBe(COMPILED_FACTS_LICENCE);
  expect(record.attribution).toMatch(/^Compiled by RegioGraph from /);
  for (const host of sourceHosts(record.source)) expect(record.attribution).toContain(host);
  if (publisher) expect(record.attribution).toContain(publisher);
}

const EDITOR = bearer({ sub: 'provenance-editor', scopes: ['cooperations:write'] });

describe('licence and attribution of every record', () => {
  it('gives every cooperation its licence and attribution: the synthetic texts, or the pages its facts were compiled from', async () => {
    const { data, errors } = await postGraphQL<{
      cooperations: { totalCount: number; nodes: (Provenance & { id: string; synthetic: boolean })[] };
    }>(url, '{ cooperations(first: 200) { totalCount nodes { id synthetic source licence attribution } } }');
    expect(errors).toBeUndefined();
    const nodes = data!.cooperations.nodes;
    expect(nodes).toHaveLength(data!.cooperations.totalCount);
    // Other test files of this Jest worker share its database and may have created, changed or deleted
    // cooperations by then: every cooperation present is checked by how it came about.
    const synthetic = nodes.filter((cooperation) => cooperation.synthetic);
    const written = nodes.filter((cooperation) => !cooperation.synthetic && cooperation.source === MANUAL_SOURCE);
    const real = nodes.filter((cooperation) => !cooperation.synthetic && cooperation.source !== MANUAL_SOURCE);
    expect(real.length).toBeGreaterThan(20);
    expect(synthetic.length).toBeGreaterThan(30);
    for (const cooperation of written) {
      expect({ licence: cooperation.licence, attribution: cooperation.attribution }).toEqual({
        licence: EDITOR_ENTRY_LICENCE,
        attribution: EDITOR_ENTRY_ATTRIBUTION,
      });
    }
    for (const cooperation of synthetic) {
      expect({ licence: cooperation.licence, attribution: cooperation.attribution }).toEqual({
        licence: SYNTHETIC_DATA_LICENCE,
        attribution: SYNTHETIC_DATA_ATTRIBUTION,
      });
    }
    for (const cooperation of real) {
      expect(sourceHosts(cooperation.source).length).toBeGreaterThan(0);
      expectCompiledFrom(cooperation);
    }
    expect(real.find((cooperation) => cooperation.source.includes('https://www.moorregion.de/'))!.attribution).toContain('moorregion.de');
  });

  it('names the state government and the pages read for every office, strategy and field of action', async () => {
    const { data, errors } = await postGraphQL<{
      offices: (Provenance & { districtCode: string })[];
      strategies: (Provenance & { fieldsOfAction: (Provenance & { synthetic: boolean })[] })[];
    }>(
      url,
      '{ offices { districtCode source licence attribution } strategies { source licence attribution fieldsOfAction { synthetic source licence attribution } } }',
    );
    expect(errors).toBeUndefined();
    expect(data!.offices).toHaveLength(4);
    for (const office of data!.offices) expectCompiledFrom(office, 'Niedersächsische Landesregierung');
    expect(data!.offices.find((office) => office.districtCode === '034')!.attribution).toContain('arl-we.niedersachsen.de');
    expect(data!.strategies).toHaveLength(4);
    const fields = data!.strategies.flatMap((strategy) => strategy.fieldsOfAction);
    expect(fields.length).toBeGreaterThan(0);
    for (const strategy of data!.strategies) {
      expectCompiledFrom(strategy, 'Niedersächsische Landesregierung');
      // The title and fields were read from the fields' pages: the strategy names them too.
      for (const field of strategy.fieldsOfAction)
        for (const host of sourceHosts(field.source)) expect(strategy.attribution).toContain(host);
    }
    for (const field of fields) {
      expect(field.synthetic).toBe(false);
      expectCompiledFrom(field);
    }
  });

  it('says that an editor’s cooperation states no licence, and when an editor changed a real one', async () => {
    const created = await postGraphQL<{ createCooperation: { cooperation: Provenance | null } }>(
      url,
      `mutation ($input: CreateCooperationInput!) { createCooperation(input: $input) { cooperation { source licence attribution } } }`,
      {
        input: {
          name: 'Provenienzprobe Weserbogen',
          kind: 'INTER_MUNICIPAL',
          founded: '2020-01-01',
          members: [{ regionCode: '032560022022', role: 'LEAD', validFrom: '2020-01-01' }],
        },
      },
      EDITOR,
    );
    expect(created.data!.createCooperation.cooperation).toEqual({
      source: 'Entered by an editor through the RegioGraph API.',
      licence: EDITOR_ENTRY_LICENCE,
      attribution: EDITOR_ENTRY_ATTRIBUTION,
    });

    const before = await postGraphQL<{ cooperations: { nodes: (Provenance & { id: string; version: number })[] } }>(
      url,
      '{ cooperations(first: 1, filter: { search: "Moorregion" }) { nodes { id version source licence attribution } } }',
    );
    const moorregion = before.data!.cooperations.nodes[0]!;
    expect(moorregion.attribution).not.toContain('editor');
    const updated = await postGraphQL<{ updateCooperation: { cooperation: Provenance | null } }>(
      url,
      `mutation ($input: UpdateCooperationInput!) { updateCooperation(input: $input) { cooperation { source licence attribution } } }`,
      { input: { id: moorregion.id, expectedVersion: moorregion.version, description: 'Changed by an editor in a test.' } },
      EDITOR,
    );
    const after = updated.data!.updateCooperation.cooperation!;
    expect(after.source).toBe(moorregion.source);
    expect(after.licence).toBe(
      `${COMPILED_FACTS_LICENCE} Changed since by an editor through the RegioGraph API; the licence of the changes is not stated.`,
    );
    expect(after.attribution).toBe(`${moorregion.attribution}; changed since by an editor through the RegioGraph API`);
  });
});
