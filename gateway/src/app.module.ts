import type { CreateAppOptions } from '@commerce/nest-kit';
import { Module } from '@nestjs/common';
import { EdgeAuthModule } from './auth/edge-auth.module';
import { BoardSessionModule } from './board/board-session';
import type { GatewayConfig } from './config';
import { ConsoleModule } from './console/console.module';
import { DocsModule } from './docs/docs.module';
import { gatewayHealthIndicators } from './health/upstream-health';
import { AccessLog } from './logging/access-log';
import { ProxyModule } from './proxy/proxy.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { GatewayRedisModule } from './redis/redis.module';

/**
 * The public entry point: every /api route relayed to the service that owns it, behind the edge
 * token check, the rate limits and a circuit breaker per service; /health aggregates the enabled
 * services; /docs merges their OpenAPI documents.
 */
@Module({
  imports: [
    GatewayRedisModule,
    RateLimitModule,
    EdgeAuthModule,
    BoardSessionModule,
    ConsoleModule,
    ProxyModule,
    DocsModule,
  ],
  providers: [AccessLog],
})
export class AppModule {}

/** What the gateway adds to the kit; main.ts and the tests share it so they boot the same app. */
export function gatewayAppOptions(config: GatewayConfig): Omit<CreateAppOptions, 'config'> {
  return {
    // Public: up or down per dependency, never the messages naming internal URLs.
    health: { indicators: gatewayHealthIndicators(config), redact: true },
    // Not public: only a scraper with METRICS_TOKEN reads the gateway's metrics.
    metrics: { requireToken: true },
    // The gateway serves the merged document of the services itself (DocsModule).
    openApi: false,
    trustProxy: config.TRUST_PROXY,
    // The gateway logs its requests itself (AccessLog), without pino-http's per-request loggers.
    logger: { httpRequests: false },
  };
}
