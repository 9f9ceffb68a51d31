// A variant of our gateway for the benchmark only: the unchanged gateway (gateway/dist/index.js,
// same environment) with its subgraph calls going through the node:http keep-alive fetcher of
// ../agent-fetch instead of Node's global fetch. It measures what that change alone would gain.
import path from 'node:path';
import { installAgentFetch } from '../agent-fetch';

installAgentFetch();
void import(path.join(path.dirname(require.resolve('@regiograph/gateway/package.json')), 'dist', 'index.js'));
