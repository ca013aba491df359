export * from './health.controller';
export * from './health.module';
export * from './health.service';
export * from './health.types';
export * from './ping.indicator';
export * from './redis.indicator';
export * from './with-timeout';
