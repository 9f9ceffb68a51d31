import { runSubgraph } from '@regiograph/shared';
import { createServer } from './server';
import { seedCooperationsIfEmpty } from './seed';

runSubgraph({ name: 'cooperations', defaultPort: 4004, createServer, seedIfEmpty: seedCooperationsIfEmpty });
