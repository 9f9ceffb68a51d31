// The Atlas speaks German: the schema's codes it shows have German names, and every text the API
// writes itself (methods, RegioGraph's attributions) is asked for in German. The schema is the
// committed supergraph the Atlas's types are generated from.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { buildSchema, getNamedType, isEnumType, TypeInfo, visit, visitWithTypeInfo, type GraphQLSchema } from 'graphql';
import { LEVEL_NAMES, POLARITY_NAMES, THEME_NAMES } from './catalogue';
import * as operations from './operations';

const schema: GraphQLSchema = buildSchema(readFileSync(join(__dirname, '../../gateway/supergraph.graphql'), 'utf8'));

function enumValues(name: string): string[] {
  const type = schema.getType(name);
  if (!isEnumType(type)) throw new Error(`${name} is not an enum of the supergraph`);
  return type.getValues().map((value) => value.name);
}

describe('the German names of the codes the Atlas shows', () => {
  // A new value of one of these enums fails here until the Atlas names it in German.
  it.each([
    ['IndicatorTheme', THEME_NAMES],
    ['IndicatorPolarity', POLARITY_NAMES],
  ] as const)('names every value of %s', (name, names) => {
    expect(Object.keys(names).sort()).toEqual(enumValues(name).sort());
    for (const text of Object.values(names)) expect(text).toMatch(/\S/);
  });

  it('names the map levels, which are values of RegionLevel', () => {
    expect(enumValues('RegionLevel')).toEqual(expect.arrayContaining(Object.keys(LEVEL_NAMES)));
  });
});

/** Each field of a document whose schema field takes a `language` argument: its coordinate and the value asked. */
function languageFields(document: TypedDocumentNode<unknown, unknown>): { field: string; language: string | null }[] {
  const found: { field: string; language: string | null }[] = [];
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const definition = typeInfo.getFieldDef();
        if (!definition?.args.some((argument) => argument.name === 'language')) return;
        const argument = node.arguments?.find((each) => each.name.value === 'language');
        found.push({
          field: `${getNamedType(typeInfo.getParentType()!)?.name}.${node.name.value}`,
          language: argument?.value.kind === 'EnumValue' ? argument.value.value : null,
        });
      },
    }),
  );
  return found;
}

describe('the texts the API writes for the Atlas', () => {
  const documents = Object.entries(operations) as [string, TypedDocumentNode<unknown, unknown>][];

  it('are asked for in German wherever the schema offers a language', () => {
    const asked = documents.flatMap(([name, document]) => languageFields(document).map((field) => ({ document: name, ...field })));
    expect(asked.filter((field) => field.language !== 'DE')).toEqual([]);
    // The methods and attributions the views show are among them: the test would pass vacuously otherwise.
    expect(new Set(asked.map((field) => field.field))).toEqual(
      new Set([
        'Indicator.attribution',
        'IndicatorDataSource.publisher',
        'Observation.missingReason',
        'DisparityReport.method',
        'DisparityReport.csv',
        'SimilarityAnalysis.method',
        'Project.attribution',
        'Cooperation.attribution',
        'Office.attribution',
      ]),
    );
  });

  it('German is one of the languages the API writes', () => {
    expect(enumValues('Language')).toContain('DE');
  });
});
