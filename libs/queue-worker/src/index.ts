export * from './queue-worker';
export * from './queue-worker-config';
