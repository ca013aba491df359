export * from './logging';
export * from './logging.tokens';
