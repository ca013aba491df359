export * from './auth-stack';
export * from './shop-stack';
export * from './stack';
