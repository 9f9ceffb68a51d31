// The list sizes this subgraph declares for the gateway's demand control, held to the seeded data: a
// region's descendants of a level under the region that `region(code:)` names are priced by the
// shared region catalogue's count below that region (@sizedBy(within: "parent.code")), which the
// regions answered here must equal.
import { graphql, valueFromASTUntyped, type GraphQLObjectType } from 'graphql';
import { createDatabaseClient, type DatabaseClient } from '@regiograph/db';
import { REGION_LEVELS, regionCatalogue, sizeFromArguments, type SizedByArguments } from '@regiograph/shared';
import { createContext } from './context';
import { schema } from './schema';
import { seedRegionsIfEmpty } from './seed';

let database: DatabaseClient;

beforeAll(async () => {
  database = createDatabaseClient({ url: process.env.TEST_DATABASE_URL! });
  await seedRegionsIfEmpty(database);
});

afterAll(async () => {
  await database?.close();
});

it("sizes a named region's descendants of each level by the catalogue's count below it, what is answered", async () => {
  const parents = REGION_LEVELS.filter((level) => level !== 'MUNICIPALITY').flatMap((level) =>
    regionCatalogue()
      .atLevel(level)
      .map((region) => region.code),
  );
  const aliases = REGION_LEVELS.map((level) => `${level}: descendants(level: ${level}) { code }`).join(' ');
  const result = await graphql({
    schema,
    source: `query ($codes: [ID!]!) { regionsByCodes(codes: $codes) { code ${aliases} } }`,
    variableValues: { codes: parents },
    contextValue: createContext(database.prisma),
  });
  expect(result.errors).toBeUndefined();
  const answered = (result.data as { regionsByCodes: Record<string, unknown>[] }).regionsByCodes;
  expect(answered).toHaveLength(1 + 4 + 45 + 116);
  // The @sizedBy the schema declares, as the gateway reads it from the supergraph.
  const region = schema.getType('Region') as GraphQLObjectType;
  const sizedBy = region.getFields().descendants!.astNode!.directives!.find((directive) => directive.name.value === 'sizedBy')!;
  const declaration = Object.fromEntries(
    sizedBy.arguments!.map((argument) => [argument.name.value, valueFromASTUntyped(argument.value)]),
  ) as unknown as SizedByArguments;
  expect(declaration).toMatchObject({ arguments: ['level'], within: 'parent.code' });
  const outgrown: string[] = [];
  for (const region of answered) {
    for (const level of REGION_LEVELS) {
      const count = (region[level] as unknown[]).length;
      const declared = sizeFromArguments(declaration, { level, 'parent.code': region.code });
      // Equal: the catalogue is the seeded data, so the price is what is answered.
      if (count !== declared) outgrown.push(`${String(region.code)} ${level}: ${count} answered, ${declared} declared`);
    }
  }
  expect(outgrown).toEqual([]);
});
