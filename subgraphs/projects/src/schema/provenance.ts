import type { RecordProvenanceInput } from '@regiograph/shared';
import type { ProgrammeRow, ProjectRow } from '../context';

/**
 * Every project that is not generated demonstration data was created by an editor (createProject).
 * A synthetic one an editor has written since (updatedBy is null as the seed writes it, and every
 * mutation sets it) says so, with the day of the last write: read from the row, no further query.
 */
export function projectProvenance(project: ProjectRow): RecordProvenanceInput {
  if (!project.synthetic) return { origin: 'written', source: project.source };
  return { origin: 'synthetic', source: project.source, editedByEditor: project.updatedBy !== null, editedAt: project.updatedAt };
}

/** The programmes are real, their facts read from the pages in their source (data/programmes.csv); no mutation changes them. */
export function programmeProvenance(programme: ProgrammeRow): RecordProvenanceInput {
  return { origin: 'real', source: programme.source };
}
