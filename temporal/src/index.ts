export * from './config';
export * from './workflow-bundle';
