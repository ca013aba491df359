import { APP_CONFIG, KitAuthModule } from '@commerce/nest-kit';
import { Module } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { type GatewayConfig, jwksUrl } from '../config';
import { GATEWAY_REDIS } from '../redis/redis.module';
import { upstreamRouteOf } from '../routing/route-context';

/** Public routes (PUBLIC_ROUTES, matched on the decoded path) need no token at the edge. */
export function isPublicRequest(request: FastifyRequest): boolean {
  return upstreamRouteOf(request)?.isPublic ?? false;
}

/**
 * The edge token check: the kit's verifier (ES256 against the auth service's JWKS, revoked jtis
 * in Redis). Its guard is not global here; the proxy controller runs it after the route check and
 * before the rate limiter, which then counts per verified user. The Authorization header travels
 * on untouched: every service verifies the token again.
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
        isPublic: isPublicRequest,
      }),
    }),
  ],
})
export class EdgeAuthModule {}
