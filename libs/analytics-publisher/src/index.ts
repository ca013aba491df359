export * from './analytics-publisher';
export * from './publisher-config';
