export * from './migrations';
export * from './pg-errors';
export * from './postgres.module';
