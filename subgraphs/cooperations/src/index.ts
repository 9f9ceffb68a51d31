import { runSubgraph } from '@regiograph/subgraph-kit';
import { createServer } from './server';
import { seedCooperationsIfEmpty } from './seed';

runSubgraph({ name: 'cooperations', createServer, seedIfEmpty: seedCooperationsIfEmpty });
