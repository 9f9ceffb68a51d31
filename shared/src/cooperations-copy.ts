/**
 * The format of the cooperations' checked-in copy for the projects subgraph
 * (subgraphs/projects/data/cooperations.json). Projects never read the cooperations' tables, yet their
 * synthetic projects are carried by those cooperations: both sides read and write this one shape.
 */
export interface CooperationCopy {
  id: string;
  name: string;
  kind: string;
  status: string;
  synthetic: boolean;
  /** Member region codes (ARS), lead first. */
  members: string[];
  fieldsOfAction: string[];
  fieldsOfActionComplete: boolean;
  /** The stated budget in euro cents as a decimal string; null when none is stated. */
  budgetCents: string | null;
}

/** The whole copy: a note on where it comes from, and the cooperations. */
export interface CooperationsCopyFile {
  note: string;
  cooperations: CooperationCopy[];
}
