export * from './auth-stack';
export * from './stack';
