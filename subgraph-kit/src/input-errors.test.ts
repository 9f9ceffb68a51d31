import SchemaBuilder from '@pothos/core';
import { findUndocumented } from '@regiograph/shared';
import { graphql, printType } from 'graphql';
import { defineInputErrorType } from './input-errors';

/** A schema whose one field answers with input errors of the type defined. */
function schemaWithInputErrors() {
  const builder = new SchemaBuilder<{ DefaultFieldNullability: false }>({ defaultFieldNullability: false });
  const InputError = defineInputErrorType(builder, {
    enumName: 'ThingInputErrorCode',
    enumDescription: 'Why a thing was refused.',
    codes: { TOO_LONG: 'The text is too long.', UNKNOWN_REGION: 'No region has the code.' },
    typeName: 'ThingInputError',
    typeDescription: 'One refused field of a thing.',
    fieldDescription: 'The path of the field, e.g. `input.name`.',
  });
  builder.queryType({});
  builder.queryField('errors', (t) =>
    t.field({
      type: [InputError],
      description: 'Input errors.',
      resolve: () => [{ field: 'input.name', message: 'name is too long.', code: 'TOO_LONG' as const }],
    }),
  );
  return builder.toSchema();
}

describe('defineInputErrorType', () => {
  it("defines the type and its enum of codes in the subgraph's words, every part described", () => {
    const schema = schemaWithInputErrors();
    expect(findUndocumented(schema)).toEqual([]);
    const codes = schema.getType('ThingInputErrorCode')!;
    expect(codes.description).toBe('Why a thing was refused.');
    expect(printType(codes)).toContain('"""The text is too long."""\n  TOO_LONG');
    const type = schema.getType('ThingInputError')!;
    expect(type.description).toBe('One refused field of a thing.');
    expect(printType(type)).toContain('"""The path of the field, e.g. `input.name`."""\n  field: String!');
  });

  it('answers with the field, the message and the code of each error', async () => {
    const result = await graphql({ schema: schemaWithInputErrors(), source: '{ errors { field message code } }' });
    expect(result).toEqual({ data: { errors: [{ field: 'input.name', message: 'name is too long.', code: 'TOO_LONG' }] } });
  });
});
