import { runSubgraph } from '@regiograph/shared';
import { createServer } from './server';
import { seedIndicatorsIfEmpty } from './seed';

runSubgraph({ name: 'indicators', defaultPort: 4002, createServer, seedIfEmpty: seedIndicatorsIfEmpty });
