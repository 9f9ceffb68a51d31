// Development tools, never part of an image: composition of the supergraph from the subgraphs'
// checked-in schemas, the `npm start` launcher (stack.ts, run as a program) and the helpers that
// start, probe and stop service processes (shared by the launcher and the bench).
export * from './compose';
export * from './licences';
export * from './services';
export * from './restore';
