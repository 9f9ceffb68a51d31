import type { EnumRef, FieldRef, SchemaTypes } from '@pothos/core';
import {
  LANGUAGE_ARGUMENT,
  RECORD_ATTRIBUTION_DESCRIPTION,
  RECORD_LICENCE_DESCRIPTION,
  recordProvenance,
  type Language,
  type RecordProvenanceInput,
} from '@regiograph/shared';

/** Only `t.string` is used, which needs nothing of a subgraph's own types but its non-null default. */
type PlainTypes = PothosSchemaTypes.ExtendDefaultTypes<{ DefaultFieldNullability: false }>;

/**
 * The `licence` and `attribution` fields of a record type (spread into its fields), computed by
 * shared's recordProvenance from how the record came about: every record type of the cooperations
 * and projects subgraphs declares them, with the same descriptions. The attribution takes the
 * subgraph's Language enum (LANGUAGE_ENUM) as its `language` argument.
 */
export function provenanceFields<Types extends SchemaTypes, Record>(
  t: PothosSchemaTypes.ObjectFieldBuilder<Types, Record>,
  provenanceOf: (record: Record) => RecordProvenanceInput,
  languageEnum: EnumRef<Types, Language>,
): { licence: FieldRef<Types, string, 'Object'>; attribution: FieldRef<Types, string, 'Object'> } {
  // Pothos cannot check fields against a builder whose types are a parameter (see change-feed-schema.ts).
  const plain = t as unknown as PothosSchemaTypes.ObjectFieldBuilder<PlainTypes, Record>;
  const fields = {
    licence: plain.string({
      description: RECORD_LICENCE_DESCRIPTION,
      resolve: (record) => recordProvenance(provenanceOf(record)).licence,
    }),
    attribution: plain.string({
      description: RECORD_ATTRIBUTION_DESCRIPTION,
      args: {
        language: plain.arg({ type: languageEnum, ...LANGUAGE_ARGUMENT }),
      },
      resolve: (record, { language }) => recordProvenance(provenanceOf(record), language).attribution,
    }),
  };
  return fields as unknown as { licence: FieldRef<Types, string, 'Object'>; attribution: FieldRef<Types, string, 'Object'> };
}
