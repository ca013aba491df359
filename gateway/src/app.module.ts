import { type CreateAppOptions, redisHealthIndicator } from '@commerce/nest-kit';
import { Module } from '@nestjs/common';
import type { GatewayConfig } from './config';

/**
 * The public entry point. For now it only carries what the kit provides (health, metrics,
 * OpenAPI, error shape); proxying to the services comes with its own feature modules.
 */
@Module({})
export class AppModule {}

/** What the gateway adds to the kit; main.ts and the tests share it so they boot the same app. */
export function gatewayAppOptions(config: GatewayConfig): Omit<CreateAppOptions, 'config'> {
  return {
    health: { indicators: [redisHealthIndicator({ url: config.REDIS_URL })] },
    openApi: {
      title: 'Commerce API',
      description: 'Public API of the commerce backend, served through the gateway.',
      version: '0.1.0',
    },
  };
}
