import { type ConfigOf, baseConfigSchema, envPort, envUrl } from '@commerce/nest-kit';

/** The gateway's environment: the shared variables plus Redis (rate limits and health). */
export const gatewayConfigSchema = baseConfigSchema.extend({
  SERVICE_NAME: baseConfigSchema.shape.SERVICE_NAME.default('gateway'),
  PORT: envPort().default(3000),
  REDIS_URL: envUrl(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
});

export type GatewayConfig = ConfigOf<typeof gatewayConfigSchema>;
