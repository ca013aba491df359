import { QUIET_PATHS, ROOT_LOGGER } from '@commerce/nest-kit';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { Level, Logger } from 'pino';

/**
 * The gateway's request log, instead of the kit's pino-http (turned off for the gateway with
 * `logger.httpRequests: false`): pino-http makes two child loggers per request, and nestjs-pino
 * runs each request in an AsyncLocalStorage scope, which keeps Node's promise hooks on for every
 * promise of the process; both showed in the gateway's CPU profile under load. This hook writes
 * the same one line per response (the kit's message, levels and quiet paths: 5xx error, 4xx warn,
 * else info; GET /health, /health/live and /metrics not at all) with the root logger, and builds
 * nothing when the level is off. Headers are not logged, so no credential can reach a line.
 */
@Injectable()
export class AccessLog implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const logger = this.logger;
    fastify.addHook('onResponse', (request, reply, done) => {
      const status = reply.statusCode;
      const level: Level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      if (!logger.isLevelEnabled(level)) return done();
      const url = request.raw.url ?? request.url;
      const queryAt = url.indexOf('?');
      const path = queryAt === -1 ? url : url.slice(0, queryAt);
      if (request.method === 'GET' && QUIET_PATHS.has(path)) return done();
      const responseTime = Math.round(reply.elapsedTime);
      logger[level](
        {
          requestId: request.id,
          req: { method: request.method, url, remoteAddress: request.ip },
          res: { statusCode: status },
          responseTime,
        },
        `${request.method} ${path} ${status} ${responseTime}ms`,
      );
      done();
    });
  }
}
