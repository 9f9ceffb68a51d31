import { runSubgraph } from '@regiograph/subgraph-kit';
import { createServer } from './server';
import { seedIndicatorsIfEmpty } from './seed';

runSubgraph({ name: 'indicators', createServer, seedIfEmpty: seedIndicatorsIfEmpty });
