export * from './base-config';
export * from './config.tokens';
export * from './env';
export * from './load-config';
export * from './development-secrets';
export * from './temporal-env';
export * from './env-docs';
