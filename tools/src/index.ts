export * from './infra/components';
export * from './infra/databases';
export * from './infra/infra';
export { readRegistry, terminate, launch, logFile, lastLines } from './infra/processes';
export * from './infra/settings';
export { APP_ENV, APP_NODE_FLAGS } from './node-flags';
