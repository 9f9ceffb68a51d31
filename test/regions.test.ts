import { brotliDecompressSync } from 'node:zlib';
import { rawRequest } from '@regiograph/shared/testing';
import { startStack, type Stack } from './harness';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.stop();
});

interface RegionSummary {
  code: string;
  name: string;
  parent: { code: string; name: string } | null;
}

describe('regions through the gateway', () => {
  it('sends a large answer compressed to a client that takes brotli, and as it is to one that does not say', async () => {
    const body = JSON.stringify({ query: '{ region(code: "03") { descendants(level: MUNICIPALITY) { code name } } }' });
    const post = (headers: Record<string, string>) =>
      rawRequest(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const plain = await post({});
    const brotli = await post({ 'accept-encoding': 'gzip, deflate, br' });
    expect([plain.status, plain.headers['content-encoding'], brotli.status, brotli.headers['content-encoding']]).toEqual([
      200,
      undefined,
      200,
      'br',
    ]);
    const unpacked = brotliDecompressSync(brotli.body);
    expect(unpacked.equals(plain.body)).toBe(true);
    expect(
      (JSON.parse(unpacked.toString()) as { data: { region: { descendants: unknown[] } } }).data.region.descendants.length,
    ).toBeGreaterThan(900);
    expect(brotli.body.length).toBeLessThan(plain.body.length / 4);
  });

  it('answers the counties of ArL Weser-Ems (034) with names and parents', async () => {
    const { data, errors } = await stack.query<{ region: { name: string; descendants: RegionSummary[] } }>(`{
      region(code: "034") { name descendants(level: COUNTY) { code name parent { code name } } }
    }`);
    expect(errors).toBeUndefined();
    expect(data!.region.name).toBe('Weser-Ems');
    expect(data!.region.descendants).toHaveLength(17);
    expect(data!.region.descendants.every((county) => county.parent?.code === '034' && county.parent.name === 'Weser-Ems')).toBe(true);
    expect(data!.region.descendants.map((county) => county.name)).toContain('Osnabrück');
  });

  it("answers a municipality's AGS sent as a region code with the ARS to send instead", async () => {
    const { data, errors } = await stack.query<{ regionsByCodes: ({ code: string } | null)[] }>(
      '{ regionsByCodes(codes: ["03459", "03459024"]) { code } }',
    );
    expect(data!.regionsByCodes).toEqual([{ code: '03459' }, null]);
    expect(errors).toHaveLength(1);
    expect(errors![0]).toMatchObject({
      path: ['regionsByCodes', 1],
      message: 'Code "03459024" is an AGS (Amtlicher Gemeindeschlüssel), not an ARS: Melle has the ARS "034590024024".',
      extensions: { code: 'BAD_USER_INPUT', key: '03459024', ars: '034590024024' },
    });
  });

  it('answers a county key a merger dissolved with its successor, alike in the regions and the indicators subgraph', async () => {
    const successors = { '03152': { name: 'Landkreis Göttingen', codes: ['03159'], since: '2016-11-01' } };
    const { data, errors } = await stack.query<{ regionsByCodes: ({ code: string } | null)[] }>(
      '{ regionsByCodes(codes: ["03159", "03152"]) { code } }',
    );
    expect(data!.regionsByCodes).toEqual([{ code: '03159' }, null]);
    expect(errors).toHaveLength(1);
    expect(errors![0]).toMatchObject({
      path: ['regionsByCodes', 1],
      message:
        'Region "03152" does not exist: 03152 was the key of Landkreis Göttingen, dissolved by a merger: ' +
        'since 2016-11-01 its area belongs to 03159 (Göttingen).',
      extensions: { code: 'NOT_FOUND', key: '03152', successors },
    });
    const table = await stack.query('{ observationTable(indicators: ["population"], regions: { codes: ["03152"] }) { years } }');
    expect(table.errors).toHaveLength(1);
    expect(table.errors![0]!.message).toContain('03152 was the key of Landkreis Göttingen, dissolved by a merger');
    expect(table.errors![0]!.extensions).toMatchObject({ code: 'UNKNOWN_REGION_CODES', codes: ['03152'], successors });
  });

  it('finds 45 counties and 967 municipalities below the state', async () => {
    const { data } = await stack.query<{ region: { counties: unknown[]; municipalities: unknown[] } }>(`{
      region(code: "03") { counties: descendants(level: COUNTY) { code } municipalities: descendants(level: MUNICIPALITY) { code } }
    }`);
    expect(data!.region.counties).toHaveLength(45);
    expect(data!.region.municipalities).toHaveLength(967);
  });

  it('fetches the children of all 45 counties with a constant number of SQL statements', async () => {
    const { result, statements } = await stack.countStatements<{ regions: { nodes: { children: unknown[] }[] } }>(`{
      regions(filter: { level: COUNTY }, first: 100) { nodes { code name children { code name level } } }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data!.regions.nodes).toHaveLength(45);
    const childCount = result.data!.regions.nodes.reduce((sum, county) => sum + county.children.length, 0);
    expect(childCount).toBeGreaterThan(45);
    // One page query, one batched children query.
    expect(statements.regions).toBe(2);
  });
});
