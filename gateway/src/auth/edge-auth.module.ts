import { APP_CONFIG, KitAuthModule } from '@commerce/nest-kit';
import { Module } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { type GatewayConfig, jwksUrl } from '../config';
import { GATEWAY_REDIS } from '../redis/redis.module';

/**
 * The edge token check: the kit's verifier (ES256 against the auth service's JWKS, revoked jtis
 * in Redis). No guard: the proxy route's token hook (ProxyRoute) calls the verifier after the route
 * check and before the per-user limit; the board session route calls it itself.
 */
@Module({
  imports: [
    KitAuthModule.forRootAsync({
      globalGuards: false,
      inject: [APP_CONFIG, GATEWAY_REDIS],
      useFactory: (config: GatewayConfig, redis: Redis) => ({
        jwksUrl: jwksUrl(config),
        jwksCooldownMs: config.JWKS_COOLDOWN_MS,
        redis,
      }),
    }),
  ],
})
export class EdgeAuthModule {}
