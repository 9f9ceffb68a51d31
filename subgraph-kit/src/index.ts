export * from './input-errors';
export * from './like';
export * from './page-info';
export * from './connection';
export * from './subgraph';
export * from './write';
export * from './change-feed';
export * from './change-feed-schema';
