import { COMPILED_FACTS_LICENCE, SYNTHETIC_DATA_ATTRIBUTION, SYNTHETIC_DATA_LICENCE } from '@regiograph/shared';
import { startStack, type Stack } from './harness';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.stop();
});

interface Provenance {
  licence: string;
  attribution: string;
}

const SYNTHETIC = { licence: SYNTHETIC_DATA_LICENCE, attribution: SYNTHETIC_DATA_ATTRIBUTION };

describe('licence and attribution through the gateway', () => {
  it('carries them on a real and a synthetic record of the cooperations and of the projects subgraph', async () => {
    const { data, errors } = await stack.query<{
      region: {
        cooperations: (Provenance & { name: string; synthetic: boolean })[];
        office: Provenance;
      };
      cooperations: { nodes: (Provenance & { synthetic: boolean; version: number })[] };
      projects: {
        nodes: (Provenance & {
          synthetic: boolean;
          version: number;
          funding: { programme: Provenance & { code: string } }[];
        })[];
      };
    }>(`{
      region(code: "03352") { cooperations { name synthetic licence attribution } office { licence attribution } }
      cooperations(first: 200) { nodes { synthetic version licence attribution } }
      projects(first: 200) { nodes { synthetic version licence attribution funding { programme { code licence attribution } } } }
    }`);
    expect(errors).toBeUndefined();
    const moorregion = data!.region.cooperations.find((cooperation) => cooperation.name.includes('Moorregion'))!;
    expect(moorregion).toEqual({
      name: moorregion.name,
      synthetic: false,
      licence: COMPILED_FACTS_LICENCE,
      attribution:
        'Compiled by RegioGraph from the pages of arl-lg.niedersachsen.de, landkreis-cuxhaven.de, weser-kurier.de, moorregion.de, nordsee-zeitung.de, tageblatt.de',
    });
    expect(data!.region.office).toEqual({
      licence: COMPILED_FACTS_LICENCE,
      attribution:
        'Compiled by RegioGraph from Niedersächsische Landesregierung, Ämter für regionale Landesentwicklung; the pages of arl-lg.niedersachsen.de',
    });
    // Records as seeded (version 1): other files of this worker share its database, and a record an
    // editor changed says so in its texts (the subgraphs' provenance tests check that).
    const synthetic = data!.cooperations.nodes.find((cooperation) => cooperation.synthetic && cooperation.version === 1)!;
    expect({ licence: synthetic.licence, attribution: synthetic.attribution }).toEqual(SYNTHETIC);

    const project = data!.projects.nodes.find(
      (candidate) => candidate.synthetic && candidate.version === 1 && candidate.funding.length > 0,
    )!;
    expect({ synthetic: project.synthetic, licence: project.licence, attribution: project.attribution }).toEqual({
      synthetic: true,
      ...SYNTHETIC,
    });
    expect(project.funding.length).toBeGreaterThan(0);
    for (const { programme } of project.funding) {
      expect(programme.licence).toBe(COMPILED_FACTS_LICENCE);
      expect(programme.attribution).toMatch(/^Compiled by RegioGraph from the pages of [a-z0-9.-]+/);
    }
  });
});
