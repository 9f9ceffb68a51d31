import { runSubgraph } from '@regiograph/shared';
import { createServer } from './server';
import { seedRegionsIfEmpty } from './seed';

runSubgraph({ name: 'regions', defaultPort: 4001, createServer, seedIfEmpty: seedRegionsIfEmpty });
