import { clientAddressKey } from '@commerce/nest-kit';
import { Global, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { RateLimiter } from './rate-limiter';

/**
 * The per-address limit on every request the gateway gets (the API, /health, /metrics, /docs,
 * the board session, unknown paths, CORS preflights), as a global Fastify onRequest hook: it runs
 * before any route, token or body work, so a flood of invalid or forged tokens is refused with
 * 429 like any other flood. The client address is the one Fastify resolved (X-Forwarded-For only
 * from TRUST_PROXY peers), IPv6 by /64.
 */
@Injectable()
export class AddressLimitHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly limiter: RateLimiter,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const policy = this.limiter.policies.address;
    fastify.addHook('onRequest', async (request, reply) => {
      await this.limiter.consume(policy, `ip:${clientAddressKey(request.ip)}`, reply);
    });
  }
}

@Global()
@Module({
  providers: [RateLimiter, AddressLimitHook],
  exports: [RateLimiter],
})
export class RateLimitModule {}
