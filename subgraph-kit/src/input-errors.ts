import type { ObjectRef, SchemaTypes } from '@pothos/core';
import type { FieldError } from './write';

export interface InputErrorTypeOptions<Code extends string> {
  /** The enum of codes, e.g. ProjectInputErrorCode. */
  enumName: string;
  enumDescription: string;
  /** Each code the subgraph emits, with what it means there. */
  codes: Record<Code, string>;
  /** The object type of one refused field, e.g. ProjectInputError. */
  typeName: string;
  typeDescription: string;
  /** How the `field` path looks in this subgraph's inputs. */
  fieldDescription: string;
}

/**
 * The GraphQL side of the write path: a subgraph's input-error type (field, message, code) and its
 * enum of codes, for the `errors` list of its mutation payloads.
 */
export function defineInputErrorType<Types extends SchemaTypes, Code extends string>(
  builder: PothosSchemaTypes.SchemaBuilder<Types>,
  options: InputErrorTypeOptions<Code>,
): ObjectRef<Types, FieldError<Code>> {
  // Pothos cannot check field shapes against a builder whose types are a parameter; these fields
  // need nothing of the subgraph's types but non-null strings, so they are defined on that view of it.
  const plain = builder as unknown as PothosSchemaTypes.SchemaBuilder<PlainTypes>;
  const values = Object.fromEntries(Object.entries<string>(options.codes).map(([code, description]) => [code, { description }]));
  const codeEnum = plain.enumType(options.enumName, { description: options.enumDescription, values });
  const ref = plain.objectRef<FieldError<Code>>(options.typeName).implement({
    description: options.typeDescription,
    fields: (t) => ({
      field: t.exposeString('field', { description: options.fieldDescription }),
      message: t.exposeString('message', { description: 'What is wrong, for people.' }),
      code: t.field({ type: codeEnum, description: 'What is wrong, for programs.', resolve: (error) => error.code }),
    }),
  });
  return ref as unknown as ObjectRef<Types, FieldError<Code>>;
}

type PlainTypes = PothosSchemaTypes.ExtendDefaultTypes<{ DefaultFieldNullability: false }>;
