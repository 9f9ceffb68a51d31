import type { RecordProvenanceInput } from '@regiograph/shared';
import type { ProgrammeRow, ProjectRow } from '../context';

/** Every project that is not generated demonstration data was created by an editor (createProject). */
export function projectProvenance(project: ProjectRow): RecordProvenanceInput {
  return { origin: project.synthetic ? 'synthetic' : 'written', source: project.source };
}

/** The programmes are real, their facts read from the pages in their source (data/programmes.csv). */
export function programmeProvenance(programme: ProgrammeRow): RecordProvenanceInput {
  return { origin: 'real', source: programme.source };
}
