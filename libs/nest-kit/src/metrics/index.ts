export * from './http-metrics.hook';
export * from './metrics.controller';
export * from './metrics.service';
export * from './metrics.tokens';
