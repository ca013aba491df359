export * from './create-app';
export * from './fastify-adapter';
export * from './graceful-shutdown.service';
export * from './listen';
export * from './openapi';
export * from './run-service';
