import { runSubgraph } from '@regiograph/shared';
import { createServer } from './server';
import { seedProjectsIfEmpty } from './seed';

runSubgraph({ name: 'projects', defaultPort: 4003, createServer, seedIfEmpty: seedProjectsIfEmpty });
