import { runSubgraph } from '@regiograph/subgraph-kit';
import { createServer } from './server';
import { seedRegionsIfEmpty } from './seed';

runSubgraph({ name: 'regions', createServer, seedIfEmpty: seedRegionsIfEmpty });
