export * from './auth';
export * from './orders';
export * from './services';
export * from './temporal';
export * from './payments';
export * from './notifications';
export * from './queues';
export * from './checkout';
