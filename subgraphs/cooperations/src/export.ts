import path from 'node:path';
import { realLandscape } from './real-data';
import type { RegionCatalogue } from './region-catalogue';
import { generateSyntheticCooperations } from './synthetic';

/**
 * The projects subgraph must not read this subgraph's tables, yet its synthetic projects are carried
 * by these cooperations: it gets a checked-in copy of what it needs (scripts/export-for-projects.ts
 * writes it; export.test.ts fails when the copy is stale).
 */
export const PROJECTS_COPY = path.join(__dirname, '..', '..', 'projects', 'data', 'cooperations.json');

export interface ExportedCooperation {
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

export interface CooperationsExport {
  note: string;
  cooperations: ExportedCooperation[];
}

/** What the projects subgraph needs of every seeded cooperation, real and synthetic. */
export function exportForProjects(catalogue: RegionCatalogue): CooperationsExport {
  const real = realLandscape(catalogue);
  const synthetic = generateSyntheticCooperations(catalogue);
  const membersOf = (id: string, memberships: { cooperationId: string; regionCode: string; role: string }[]) =>
    memberships
      .filter((membership) => membership.cooperationId === id)
      .sort((a, b) => (a.role === b.role ? 0 : a.role === 'LEAD' ? -1 : 1))
      .map((membership) => membership.regionCode);
  return {
    note: 'Copy of the seeded cooperations (subgraphs/cooperations, scripts/export-for-projects.ts) for the synthetic projects; do not edit.',
    cooperations: [
      ...real.cooperations.map((cooperation) => ({
        id: cooperation.id,
        name: cooperation.name,
        kind: cooperation.kind,
        status: cooperation.status,
        synthetic: false,
        members: membersOf(cooperation.id, real.memberships),
        fieldsOfAction: cooperation.fieldsOfAction,
        fieldsOfActionComplete: cooperation.fieldsOfActionComplete,
        budgetCents: cooperation.budgetCents === null ? null : cooperation.budgetCents.toString(),
      })),
      ...synthetic.cooperations.map((cooperation) => ({
        id: cooperation.id,
        name: cooperation.name,
        kind: cooperation.kind,
        status: cooperation.status,
        synthetic: true,
        members: membersOf(cooperation.id, synthetic.memberships),
        fieldsOfAction: cooperation.fieldsOfAction,
        fieldsOfActionComplete: true,
        budgetCents: null,
      })),
    ],
  };
}

export function serialiseExport(data: CooperationsExport): string {
  return `${JSON.stringify(data, null, 1)}\n`;
}
