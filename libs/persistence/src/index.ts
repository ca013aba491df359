export * from './migrations';
export * from './pg-errors';
export * from './postgres.module';
export * from './postgres-url';
