export * from './config';
export * from './csv';
export * from './errors';
export * from './http';
export * from './logger';
export * from './random';
export * from './region-codes';
export * from './text';
