import { APP_CONFIG, KitAuthModule } from '@commerce/nest-kit';
import { Module } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { type GatewayConfig, jwksUrl } from '../config';
import { GATEWAY_REDIS } from '../redis/redis.module';
import { RevocationLookups } from './revocation-lookups';

/** Up to 10,000 tokens (a few MB), each kept at most a minute. */
const VERIFIED_TOKEN_CACHE = { maxEntries: 10_000, maxAgeMs: 60_000 } as const;

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
        // Concurrent lookups of one token share a command (exact: see RevocationLookups).
        redis: new RevocationLookups(redis),
        // The same token arrives with every request of a session: its ECDSA signature is checked
        // once a minute rather than every time (the largest single item in the gateway's CPU
        // profile after socket writes). Revocation and expiry are still checked per request.
        verifiedTokenCache: VERIFIED_TOKEN_CACHE,
      }),
    }),
  ],
})
export class EdgeAuthModule {}
