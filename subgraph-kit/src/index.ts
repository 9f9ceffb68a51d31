export * from './input-errors';
export * from './subgraph';
export * from './write';
