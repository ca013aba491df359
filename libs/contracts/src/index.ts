export * from './auth';
export * from './orders';
export * from './services';
export * from './temporal';
