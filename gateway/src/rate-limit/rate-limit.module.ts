import { APP_CONFIG } from '@commerce/nest-kit';
import { CachedScriptThrottlerStorage } from './cached-script.storage';
import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { type ThrottlerModuleOptions, ThrottlerModule } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { GatewayConfig } from '../config';
import { GATEWAY_REDIS } from '../redis/redis.module';
import { upstreamRouteOf } from '../routing/route-context';
import { AddressThrottlerGuard, UserThrottlerGuard } from './gateway-throttler.guard';

/**
 * Named throttlers: `address` for every request per client address (before the token check),
 * `auth` in addition for sign-in and sign-up attempts per address, `user` per verified user.
 */
export function throttlerOptions(config: GatewayConfig, redis: Redis): ThrottlerModuleOptions {
  return {
    throttlers: [
      {
        name: 'address',
        limit: config.RATE_LIMIT_ADDRESS_LIMIT,
        ttl: config.RATE_LIMIT_ADDRESS_TTL_MS,
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
      {
        name: 'user',
        limit: config.RATE_LIMIT_DEFAULT_LIMIT,
        ttl: config.RATE_LIMIT_DEFAULT_TTL_MS,
      },
    ],
    storage: new CachedScriptThrottlerStorage(redis),
  };
}

/** The address limit is a global guard, so no route of the gateway escapes it. */
@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG, GATEWAY_REDIS],
      useFactory: throttlerOptions,
    }),
  ],
  providers: [
    AddressThrottlerGuard,
    UserThrottlerGuard,
    { provide: APP_GUARD, useExisting: AddressThrottlerGuard },
  ],
  exports: [ThrottlerModule, UserThrottlerGuard],
})
export class RateLimitModule {}
