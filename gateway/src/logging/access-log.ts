import { type LoggerSettings, ROOT_LOGGER } from '@commerce/nest-kit';
import { Inject, Injectable, type OnModuleInit, RequestMethod } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { Level, Logger } from 'pino';

/**
 * Routes the kit's request logger (pino-http) leaves alone: the proxy route, which every request
 * of the shop takes. pino-http makes two child loggers per request and nestjs-pino runs the rest
 * of the request in an AsyncLocalStorage scope, both measurable on the gateway's hot path.
 */
export const UNLOGGED_BY_KIT: LoggerSettings['exclude'] = [
  { path: 'api/{*path}', method: RequestMethod.ALL },
];

/**
 * One line per answered request that pino-http did not see (the proxy route, and requests an
 * earlier hook refused, such as the address limit's 429s), in the kit's format and levels
 * (5xx error, 4xx warn, else info), written by the root logger: no per-request logger object, and
 * nothing built at all when the level is off.
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
      // pino-http saw it and logs it (it lists its loggers in `allLogs` on the raw request).
      if ((request.raw as { allLogs?: unknown }).allLogs !== undefined) return done();
      const status = reply.statusCode;
      const level: Level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      if (logger.isLevelEnabled(level)) {
        const url = request.raw.url ?? request.url;
        const queryAt = url.indexOf('?');
        const path = queryAt === -1 ? url : url.slice(0, queryAt);
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
      }
      done();
    });
  }
}
