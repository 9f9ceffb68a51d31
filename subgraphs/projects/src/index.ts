import { runSubgraph } from '@regiograph/subgraph-kit';
import { createServer } from './server';
import { seedProjectsIfEmpty } from './seed';

runSubgraph({ name: 'projects', createServer, seedIfEmpty: seedProjectsIfEmpty });
