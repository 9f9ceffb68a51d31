// Writes subgraphs/projects/data/cooperations.json, the projects subgraph's copy of the seeded
// cooperations (it must not read this subgraph's tables). Run after changing the cooperations data.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportForProjects, PROJECTS_COPY, serialiseExport } from '../src/export';
import { regionCatalogue } from '../src/region-catalogue';

const data = exportForProjects(regionCatalogue());
writeFileSync(PROJECTS_COPY, serialiseExport(data));
console.log(`${path.relative(process.cwd(), PROJECTS_COPY)}: ${data.cooperations.length} cooperations`);
