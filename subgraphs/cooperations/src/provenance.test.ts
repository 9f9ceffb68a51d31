import {
  COMPILED_FACTS_LICENCE,
  EDITOR_ENTRY_ATTRIBUTION,
  EDITOR_ENTRY_LICENCE,
  sourceHosts,
  SYNTHETIC_DATA_ATTRIBUTION,
  SYNTHETIC_DATA_LICENCE,
} from '@regiograph/shared';
import { testBearer } from '@regiograph/shared/testing';
import type { SubgraphServer } from '@regiograph/subgraph-kit';
import { createServer, seed } from './server';
import { MANUAL_SOURCE } from './schema/provenance';
import { postGraphQL } from './testing/client';

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

const EDITED_SYNTHETIC_LICENCE = `${SYNTHETIC_DATA_LICENCE} for the generated record. Changed since by an editor through the RegioGraph API; the licence of the changes is not stated.`;
/** The attribution of a loaded record an editor changed, up to the day of the change. */
const EDITED_SYNTHETIC_ATTRIBUTION = `${SYNTHETIC_DATA_ATTRIBUTION}; changed since by an editor through the RegioGraph API, last on `;

/** Today's UTC day, the day the attribution names for a change made now (read before and after the change). */
function today(): string {
  return new Date().toISOString().slice(0, 10);
}

const EDITOR = testBearer({ sub: 'provenance-editor', scopes: ['cooperations:write'] });

describe('licence and attribution of every record', () => {
  it('gives every cooperation its licence and attribution: the synthetic texts, or the pages its facts were compiled from', async () => {
    const { data, errors } = await postGraphQL<{
      cooperations: { totalCount: number; nodes: (Provenance & { id: string; synthetic: boolean; version: number })[] };
    }>(url, '{ cooperations(first: 200) { totalCount nodes { id synthetic version source licence attribution } } }');
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
      // Seeded once, at version 1: a later version is an editor's change, which the texts name.
      if (cooperation.version > 1) {
        expect(cooperation.licence).toBe(EDITED_SYNTHETIC_LICENCE);
        expect(cooperation.attribution.slice(0, EDITED_SYNTHETIC_ATTRIBUTION.length)).toBe(EDITED_SYNTHETIC_ATTRIBUTION);
        continue;
      }
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
    expect(after.attribution).toMatch(/; changed since by an editor through the RegioGraph API, last on \d{4}-\d{2}-\d{2} \(UTC\)$/);
    expect(after.attribution.startsWith(`${moorregion.attribution}; changed since`)).toBe(true);
  });

  it('says that a synthetic cooperation an editor changed, itself or a membership, was changed since, and on which day', async () => {
    const listed = await postGraphQL<{
      cooperations: {
        nodes: {
          id: string;
          version: number;
          synthetic: boolean;
          members: { id: string; validFrom: string; validUntil: string | null }[];
        }[];
      };
    }>(url, '{ cooperations(first: 200) { nodes { id version synthetic members { id validFrom validUntil } } } }');
    // Two untouched synthetic cooperations: one for a change of the record, one for a change of a membership.
    const untouched = listed.data!.cooperations.nodes.filter((cooperation) => cooperation.synthetic && cooperation.version === 1);
    const described = untouched[0]!;
    const membered = untouched.find(
      (cooperation) => cooperation.id !== described.id && cooperation.members.some((member) => member.validUntil === null),
    )!;
    const member = membered.members.find((candidate) => candidate.validUntil === null)!;
    const provenanceOf = async (id: string) =>
      (
        await postGraphQL<{ cooperation: Provenance & { updatedAt: string } }>(
          url,
          'query ($id: ID!) { cooperation(id: $id) { source licence attribution updatedAt } }',
          { id },
        )
      ).data!.cooperation;
    const seeded = await Promise.all([described.id, membered.id].map(provenanceOf));
    for (const before of seeded) expect([before.licence, before.attribution]).toEqual([SYNTHETIC_DATA_LICENCE, SYNTHETIC_DATA_ATTRIBUTION]);

    const dayBefore = today();
    const writes = await Promise.all([
      postGraphQL(
        url,
        'mutation ($input: UpdateCooperationInput!) { updateCooperation(input: $input) { errors { field } } }',
        { input: { id: described.id, expectedVersion: 1, description: 'Changed by an editor in a provenance test.' } },
        EDITOR,
      ),
      postGraphQL(
        url,
        'mutation ($input: EndCooperationMembershipInput!) { endMembership(input: $input) { errors { field } } }',
        { input: { membershipId: member.id, expectedVersion: 1, validUntil: '2026-12-31' } },
        EDITOR,
      ),
    ]);
    const dayAfter = today();
    for (const write of writes) expect(JSON.stringify(write)).toMatch(/"errors":\[\]/);
    for (const [index, id] of [described.id, membered.id].entries()) {
      const after = await provenanceOf(id);
      expect(Date.parse(after.updatedAt)).toBeGreaterThan(Date.parse(seeded[index]!.updatedAt));
      expect(after.licence).toBe(EDITED_SYNTHETIC_LICENCE);
      expect([dayBefore, dayAfter].map((day) => `${EDITED_SYNTHETIC_ATTRIBUTION}${day} (UTC)`)).toContain(after.attribution);
    }
  });
});
