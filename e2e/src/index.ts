export * from './auth-stack';
export * from './shop-stack';
export * from './stack';
export * from './checkout-stack';
export * from './shopper';
export * from './loopback-client';
export * from './openapi-fuzz';
