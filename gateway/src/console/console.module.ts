import { type OnApplicationBootstrap, Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { consoleAuthHook } from './console-auth.hook';
import { ConsoleSessionController } from './console-session.controller';
import { ConsoleStaticController } from './console-static.controller';

/**
 * The operator's console: its static build under /admin, its cookie session under
 * /admin/session, and the hook that lets that session (with its CSRF token) stand for the
 * operator's bearer token on /api calls. Nothing else in the gateway knows about it.
 */
@Module({ controllers: [ConsoleSessionController, ConsoleStaticController] })
export class ConsoleModule implements OnApplicationBootstrap {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /**
   * After every module's onModuleInit, so the hook runs after the per-address limit's global hook
   * (RateLimitModule): a flood of refused console calls (no or wrong CSRF token, another origin)
   * spends the sender's address budget like any other request, and gets 429 once it is spent.
   */
  onApplicationBootstrap(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', consoleAuthHook);
  }
}
