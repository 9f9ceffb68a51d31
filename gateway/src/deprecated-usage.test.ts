import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { buildSchema, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { Registry } from 'prom-client';
import { silentLogger } from '@regiograph/shared';
import type { GatewayContext } from './context';
import { ClientNames, deprecatedCoordinatesOf, deprecatedUsageOf, deprecatedUsagePlugin } from './plugins/deprecated-usage';
import { createGateway, SUPERGRAPH_PATH, type Gateway } from './server';
import { SUBGRAPHS } from './subgraphs';

const schema = buildSchema(`
  directive @shape(old: Boolean @deprecated(reason: "Gone."), size: Int) on FIELD

  type Query {
    region(code: ID!, ars: ID @deprecated(reason: "Use code.")): Region
    regions(filter: RegionFilter, level: Level): [Region!]!
  }

  type Region {
    code: ID!
    name: String!
    oldName: String @deprecated(reason: "Use name.")
  }

  input RegionFilter {
    search: String
    parent: ID @deprecated(reason: "Use ancestor.")
    ancestor: ID
    nested: RegionFilter
    level: Level
  }

  enum Level {
    COUNTY
    MUNICIPALITY
    SAMTGEMEINDE @deprecated(reason: "Use MUNICIPAL_ASSOCIATION.")
    MUNICIPAL_ASSOCIATION
  }
`);

/** The usage of the document's operation named `name` (or its only one). */
function usageOf(text: string, name?: string) {
  const document = parse(text);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION && (name === undefined || definition.name?.value === name),
  )!;
  return deprecatedUsageOf(schema, document, operation);
}

describe('the deprecated elements an operation uses', () => {
  it('finds deprecated fields, arguments, input fields and enum values written in the document', () => {
    const usage = usageOf(`{
      region(code: "03", ars: "03") { oldName @shape(old: true, size: 1) }
      regions(filter: { parent: "03", nested: { level: SAMTGEMEINDE } }, level: COUNTY) { name }
    }`);
    expect(usage.coordinates).toEqual([
      '@shape(old:)',
      'Level.SAMTGEMEINDE',
      'Query.region(ars:)',
      'Region.oldName',
      'RegionFilter.parent',
    ]);
  });

  it('follows the fragments the operation spreads, not those of the document’s other operations', () => {
    const text = `
      query Used { region(code: "03") { ...Names } }
      query Other { region(code: "03") { ...Old } }
      fragment Names on Region { name ...Deeper }
      fragment Deeper on Region { oldName }
      fragment Old on Region { code }
    `;
    expect(usageOf(text, 'Used').coordinates).toEqual(['Region.oldName']);
    expect(usageOf(text, 'Other').coordinates).toEqual([]);
  });

  it('finds nothing in an operation of current elements', () => {
    const usage = usageOf(`query($level: Level) { regions(filter: { search: "a", ancestor: "03" }, level: $level) { code name } }`);
    expect(usage.coordinates).toEqual([]);
  });

  it('reads only the variables whose type reaches a deprecated element, and finds it in their values', () => {
    const usage = usageOf(`query($filter: RegionFilter, $levels: Level, $code: ID!, $name: String) {
      region(code: $code) { name @include(if: true) }
      regions(filter: $filter, level: $levels) { name @skip(if: false) }
      other: regions(filter: { search: $name }) { code }
    }`);
    expect(usage.variables.map((variable) => variable.name)).toEqual(['filter', 'levels']);
    expect(deprecatedCoordinatesOf(usage, { code: '03', filter: { search: 'a' }, levels: 'COUNTY' })).toEqual([]);
    expect(
      deprecatedCoordinatesOf(usage, {
        code: '03',
        filter: { nested: { parent: '03', level: 'SAMTGEMEINDE' } },
        levels: 'SAMTGEMEINDE',
      }).sort(),
    ).toEqual(['Level.SAMTGEMEINDE', 'RegionFilter.parent']);
  });
});

describe('client labels', () => {
  it('keeps safe characters, cuts long names, and counts names past the cap as other', () => {
    const names = new ClientNames(2, 10);
    expect(names.labelOf(undefined)).toBe('anonymous');
    expect(names.labelOf('  ')).toBe('anonymous');
    expect(names.labelOf('Atlas Web/1.2')).toBe('Atlas_Web_');
    expect(names.labelOf('partner-x')).toBe('partner-x');
    expect(names.labelOf('third')).toBe('other');
    expect(names.labelOf('Atlas Web/1.3')).toBe('Atlas_Web_');
  });
});

describe('the client of a request with an API key', () => {
  it('is the key’s id', async () => {
    const registry = new Registry();
    const server = new ApolloServer<GatewayContext>({ schema, plugins: [deprecatedUsagePlugin({ registry })] });
    await server.start();
    const contextValue: GatewayContext = {
      requestId: 'r1',
      caller: null,
      forwardedHeaders: {},
      readAfterLsn: null,
      logger: silentLogger,
      estimatedCost: null,
      client: 'apikey:k7',
      apiKey: { id: 'k7', name: 'Partner', scopes: [], costPointsPerWindow: null, requestsPerWindow: null },
      chargedCostPoints: 0,
    };
    await server.executeOperation({ query: '{ region(code: "03") { oldName } }' }, { contextValue });
    await server.stop();
    expect(await registry.getSingleMetricAsString('regiograph_gateway_deprecated_usage_total')).toContain(
      'regiograph_gateway_deprecated_usage_total{coordinate="Region.oldName",client="apikey:k7"} 1',
    );
  });
});

/**
 * Through a gateway whose supergraph deprecates Query.region and RegionLevel.MUNICIPAL_ASSOCIATION (a
 * copy: no real field is deprecated), in front of a stand-in subgraph: counted per coordinate and
 * client, analysed once per operation text.
 */
describe('the deprecated-usage counter of a gateway', () => {
  let subgraph: http.Server;
  let gateway: Gateway;
  let url = '';
  // Made in beforeAll: a run that filters this block out skips afterAll too.
  let folder = '';

  beforeAll(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'regiograph-deprecated-usage-'));
    const supergraphPath = path.join(folder, 'supergraph.graphql');
    const supergraph = readFileSync(SUPERGRAPH_PATH, 'utf8');
    const deprecated = supergraph
      .replace('  ): Region @join__field(graph: REGIONS)\n', '  ): Region @join__field(graph: REGIONS) @deprecated(reason: "A test\'s.")\n')
      .replace(/( {2}MUNICIPAL_ASSOCIATION @join__enumValue.*)\n/, '$1 @deprecated(reason: "A test\'s.")\n');
    expect(deprecated.match(/@deprecated/g)).toHaveLength((supergraph.match(/@deprecated/g)?.length ?? 0) + 2);
    writeFileSync(supergraphPath, deprecated);
    subgraph = http.createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ data: { region: null, regions: { nodes: [] } } }));
      });
    });
    await new Promise<void>((resolve) => subgraph.listen(0, '127.0.0.1', resolve));
    const subgraphUrl = `http://127.0.0.1:${(subgraph.address() as AddressInfo).port}/graphql`;
    gateway = await createGateway({
      logger: silentLogger,
      supergraphPath,
      subgraphUrls: Object.fromEntries(SUBGRAPHS.map(({ name }) => [name, subgraphUrl])),
      env: {
        NODE_ENV: 'production',
        AUTH_SECRET: 'a-secret-of-this-test-long-enough-for-hs256',
        RESPONSE_CACHE: 'false',
        REDIS_KEY_PREFIX: 'regiograph-deprecated-usage-test:',
      },
    });
    url = (await gateway.listen(0, '127.0.0.1')).url;
  });

  afterAll(async () => {
    await gateway.close();
    subgraph.closeAllConnections();
    await new Promise((resolve) => subgraph.close(resolve));
    rmSync(folder, { recursive: true, force: true });
  });

  async function send(query: string, variables: Record<string, unknown>, clientName?: string): Promise<void> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(clientName ? { 'apollographql-client-name': clientName } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    expect(response.status).toBe(200);
  }

  async function counted(): Promise<string[]> {
    const text = await gateway.metrics.registry.metrics();
    return text.split('\n').filter((line) => line.startsWith('regiograph_gateway_deprecated_usage'));
  }

  it('counts each operation by coordinate and client, and analyses each operation text once', async () => {
    const byCode = 'query ByCode { region(code: "03") { code } }';
    const byLevel = 'query ByLevel($level: RegionLevel) { regions(filter: { level: $level }) { nodes { code } } }';
    await send(byCode, {}, 'Atlas Web');
    await send(byCode, {}, 'Atlas Web');
    await send(byCode, {});
    await send(byLevel, { level: 'COUNTY' }, 'partner');
    await send(byLevel, { level: 'MUNICIPAL_ASSOCIATION' }, 'partner');
    expect(await counted()).toEqual([
      'regiograph_gateway_deprecated_usage_total{coordinate="Query.region",client="Atlas_Web"} 2',
      'regiograph_gateway_deprecated_usage_total{coordinate="Query.region",client="anonymous"} 1',
      'regiograph_gateway_deprecated_usage_total{coordinate="RegionLevel.MUNICIPAL_ASSOCIATION",client="partner"} 1',
      'regiograph_gateway_deprecated_usage_analyses_total 2',
    ]);
  });
});
