import { Module, type OnModuleInit } from '@nestjs/common';
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
export class ConsoleModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', consoleAuthHook);
  }
}
