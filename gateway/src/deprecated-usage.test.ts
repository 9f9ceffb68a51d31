import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { buildSchema, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { Registry } from 'prom-client';
import { silentLogger } from '@regiograph/shared';
import { deleteRedisKeys } from '@regiograph/shared/testing';
import type { GatewayContext } from './context';
import {
  ClientNames,
  deprecatedCoordinatesOf,
  deprecatedUsageOf,
  deprecatedUsagePlugin,
  deprecatesAnything,
} from './plugins/deprecated-usage';
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

describe('whether a schema deprecates anything', () => {
  it('finds each kind of deprecated element, and nothing in a schema without one', () => {
    const current = `type Query { region(code: ID!, level: Level, filter: Filter): Region }
      type Region implements Node { code: ID! name: String! }
      interface Node { code: ID! }
      input Filter { search: String }
      enum Level { COUNTY MUNICIPALITY }`;
    expect(deprecatesAnything(buildSchema(current))).toBe(false);
    const deprecating = [
      ['type Region implements Node { code: ID! name: String! }', 'type Region implements Node { code: ID! name: String! @deprecated }'],
      ['interface Node { code: ID! }', 'interface Node { code: ID! old: ID @deprecated }'],
      ['region(code: ID!, level: Level,', 'region(code: ID!, level: Level @deprecated,'],
      ['input Filter { search: String }', 'input Filter { search: String @deprecated }'],
      ['enum Level { COUNTY MUNICIPALITY }', 'enum Level { COUNTY MUNICIPALITY @deprecated }'],
      ['type Query {', 'directive @shape(old: Boolean @deprecated) on FIELD\n type Query {'],
    ];
    for (const [before, after] of deprecating) {
      expect(current).toContain(before);
      expect([after, deprecatesAnything(buildSchema(current.replace(before!, after!)))]).toEqual([after, true]);
    }
    expect(deprecatesAnything(schema)).toBe(true);
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

/** A subgraph standing in for all four: it answers every fetch with empty data. */
async function standInSubgraph(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ data: { region: null, regions: { nodes: [] } } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * What this run's gateways put before their keys in Redis: under REDIS_URL (the machine's, which
 * outlives the run) they store safelisted operations, persisted queries and rate-limit counters
 * there, deleted after the run; a run of its own, so that none deletes another's.
 */
const REDIS_KEY_PREFIX = `regiograph-deprecated-usage-test:${randomUUID()}:`;

afterAll(async () => {
  if (process.env.REDIS_URL) await deleteRedisKeys(process.env.REDIS_URL, REDIS_KEY_PREFIX);
});

/** A gateway on the supergraph at `supergraphPath`, every subgraph routed to `subgraphUrl`. */
async function gatewayOn(supergraphPath: string, subgraphUrl: string): Promise<{ gateway: Gateway; url: string }> {
  const gateway = await createGateway({
    logger: silentLogger,
    supergraphPath,
    subgraphUrls: Object.fromEntries(SUBGRAPHS.map(({ name }) => [name, subgraphUrl])),
    env: {
      NODE_ENV: 'production',
      AUTH_SECRET: 'a-secret-of-this-test-long-enough-for-hs256',
      RESPONSE_CACHE: 'false',
      REDIS_KEY_PREFIX,
    },
  });
  return { gateway, url: (await gateway.listen(0, '127.0.0.1')).url };
}

async function send(url: string, query: string, variables: Record<string, unknown>, clientName?: string): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(clientName ? { 'apollographql-client-name': clientName } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  expect(response.status).toBe(200);
}

async function counted(gateway: Gateway): Promise<string[]> {
  const text = await gateway.metrics.registry.metrics();
  return text.split('\n').filter((line) => line.startsWith('regiograph_gateway_deprecated_usage'));
}

const BY_CODE = 'query ByCode { region(code: "03") { code } }';
const BY_LEVEL = 'query ByLevel($level: RegionLevel) { regions(filter: { level: $level }) { nodes { code } } }';

/**
 * Through a gateway whose supergraph deprecates Query.region and RegionLevel.MUNICIPAL_ASSOCIATION as
 * well (a copy), in front of a stand-in subgraph: counted per coordinate and client, analysed once per
 * operation text.
 */
describe('the deprecated-usage counter of a gateway', () => {
  let subgraph: Awaited<ReturnType<typeof standInSubgraph>>;
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
    subgraph = await standInSubgraph();
    ({ gateway, url } = await gatewayOn(supergraphPath, subgraph.url));
  });

  afterAll(async () => {
    await gateway.close();
    await subgraph.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('counts each operation by coordinate and client, and analyses each operation text once', async () => {
    await send(url, BY_CODE, {}, 'Atlas Web');
    await send(url, BY_CODE, {}, 'Atlas Web');
    await send(url, BY_CODE, {});
    await send(url, BY_LEVEL, { level: 'COUNTY' }, 'partner');
    await send(url, BY_LEVEL, { level: 'MUNICIPAL_ASSOCIATION' }, 'partner');
    expect(await counted(gateway)).toEqual([
      'regiograph_gateway_deprecated_usage_total{coordinate="Query.region",client="Atlas_Web"} 2',
      'regiograph_gateway_deprecated_usage_total{coordinate="Query.region",client="anonymous"} 1',
      'regiograph_gateway_deprecated_usage_total{coordinate="RegionLevel.MUNICIPAL_ASSOCIATION",client="partner"} 1',
      'regiograph_gateway_deprecated_usage_analyses_total 2',
    ]);
  });
});

/**
 * Through a gateway on the real supergraph with its deprecations taken out (a copy: the real one
 * deprecates Region.projects(from:, to:)): no request is analysed.
 */
describe('the deprecated-usage counter of a gateway whose schema deprecates nothing', () => {
  let subgraph: Awaited<ReturnType<typeof standInSubgraph>>;
  let gateway: Gateway;
  let url = '';
  // Made in beforeAll: a run that filters this block out skips afterAll too.
  let folder = '';

  beforeAll(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'regiograph-deprecated-usage-'));
    const supergraphPath = path.join(folder, 'supergraph.graphql');
    writeFileSync(supergraphPath, readFileSync(SUPERGRAPH_PATH, 'utf8').replace(/ @deprecated\(reason: "[^"]*"\)/g, ''));
    subgraph = await standInSubgraph();
    ({ gateway, url } = await gatewayOn(supergraphPath, subgraph.url));
  });

  afterAll(async () => {
    await gateway.close();
    await subgraph.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('analyses no operation', async () => {
    expect(readFileSync(path.join(folder, 'supergraph.graphql'), 'utf8')).not.toContain('@deprecated');
    await send(url, BY_CODE, {}, 'Atlas Web');
    await send(url, BY_LEVEL, { level: 'COUNTY' }, 'partner');
    await send(url, BY_LEVEL, { level: 'MUNICIPAL_ASSOCIATION' });
    expect(await counted(gateway)).toEqual(['regiograph_gateway_deprecated_usage_analyses_total 0']);
  });
});
