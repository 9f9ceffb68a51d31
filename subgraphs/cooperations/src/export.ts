import path from 'node:path';
import type { CooperationsCopyFile } from '@regiograph/shared';
import { realLandscape } from './real-data';
import type { RegionCatalogue } from './region-catalogue';
import { generateSyntheticCooperations } from './synthetic';

/**
 * The projects subgraph must not read this subgraph's tables, yet its synthetic projects are carried
 * by these cooperations: it gets a checked-in copy of what it needs (scripts/export-for-projects.ts
 * writes it; export.test.ts fails when the copy is stale).
 */
export const PROJECTS_COPY = path.join(__dirname, '..', '..', 'projects', 'data', 'cooperations.json');

export function exportForProjects(catalogue: RegionCatalogue): CooperationsCopyFile {
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

export function serialiseExport(data: CooperationsCopyFile): string {
  return `${JSON.stringify(data, null, 1)}\n`;
}
