import type { RecordProvenanceInput } from '@regiograph/shared';
import type { CooperationRow, FieldOfActionRow, OfficeRow } from '../context';

/** The source of a cooperation an editor created: it names no page. */
export const MANUAL_SOURCE = 'Entered by an editor through the RegioGraph API.';

/** The publisher the offices' and strategies' facts come from, named in words in their source. */
export const STATE_GOVERNMENT = 'Niedersächsische Landesregierung, Ämter für regionale Landesentwicklung';

/**
 * How a cooperation came about: the generator's or an editor's record, or real facts from the pages
 * in its source. A seeded (synthetic or real) one an editor has written since says so, with the day
 * of the last write: updatedBy is null as the seed writes a record and set by every mutation (of the
 * record or its memberships), and updatedAt moves with it; both are on the row, no further query.
 */
export function cooperationProvenance(cooperation: CooperationRow): RecordProvenanceInput {
  if (!cooperation.synthetic && cooperation.source === MANUAL_SOURCE) return { origin: 'written', source: cooperation.source };
  return {
    origin: cooperation.synthetic ? 'synthetic' : 'real',
    source: cooperation.source,
    editedByEditor: cooperation.updatedBy !== null,
    editedAt: cooperation.updatedAt,
  };
}

export function officeProvenance(office: OfficeRow): RecordProvenanceInput {
  return { origin: 'real', source: office.source, publisher: STATE_GOVERNMENT };
}

export function fieldOfActionProvenance(field: FieldOfActionRow): RecordProvenanceInput {
  return field.synthetic ? { origin: 'synthetic', source: field.source } : { origin: 'real', source: field.source };
}

/** A strategy's title and fields of action were read from its fields' pages: its attribution names them too. */
export function strategyProvenance(source: string, fields: FieldOfActionRow[]): RecordProvenanceInput {
  return { origin: 'real', source: [source, ...fields.map((field) => field.source)].join(' | '), publisher: STATE_GOVERNMENT };
}
