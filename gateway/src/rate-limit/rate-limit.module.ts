import { APP_CONFIG } from '@commerce/nest-kit';
import { CachedScriptThrottlerStorage } from './cached-script.storage';
import { Module } from '@nestjs/common';
import { type ThrottlerModuleOptions, ThrottlerModule } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { GatewayConfig } from '../config';
import { GATEWAY_REDIS } from '../redis/redis.module';
import { upstreamRouteOf } from '../routing/route-context';
import { GatewayThrottlerGuard } from './gateway-throttler.guard';

/** Named throttlers: `default` for every request, `auth` for sign-in and sign-up attempts. */
export function throttlerOptions(config: GatewayConfig, redis: Redis): ThrottlerModuleOptions {
  return {
    throttlers: [
      {
        name: 'default',
        limit: config.RATE_LIMIT_DEFAULT_LIMIT,
        ttl: config.RATE_LIMIT_DEFAULT_TTL_MS,
      },
      {
        // Per client address: the auth service limits attempts per account on its side.
        name: 'auth',
        limit: config.RATE_LIMIT_AUTH_LIMIT,
        ttl: config.RATE_LIMIT_AUTH_TTL_MS,
        skipIf: (context) =>
          !upstreamRouteOf(context.switchToHttp().getRequest<FastifyRequest>())
            ?.isCredentialAttempt,
      },
    ],
    storage: new CachedScriptThrottlerStorage(redis),
  };
}

@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG, GATEWAY_REDIS],
      useFactory: throttlerOptions,
    }),
  ],
  providers: [GatewayThrottlerGuard],
  exports: [ThrottlerModule, GatewayThrottlerGuard],
})
export class RateLimitModule {}
