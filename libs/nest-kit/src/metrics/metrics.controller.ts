import { Controller, Get, Header, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Public } from '../auth/auth.decorators';
import type { BaseConfig } from '../config/base-config';
import { APP_CONFIG } from '../config/config.tokens';
import { AppError } from '../errors/app-error';
import { ErrorCode } from '../errors/error-codes';
import { MetricsService } from './metrics.service';
import { METRICS_OPTIONS, type MetricsOptions } from './metrics.tokens';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Prometheus scrape endpoint; operational, so it stays out of the public API document. With
 * METRICS_TOKEN set the scraper must present it as a bearer token (compared in constant time),
 * checked here rather than by the JWT guard: the scraper holds no user token.
 */
@Public()
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: BaseConfig,
    @Inject(METRICS_OPTIONS) private readonly options: MetricsOptions,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    this.authorise(request);
    const body = await this.metrics.render();
    void reply.header('Content-Type', this.metrics.contentType);
    return body;
  }

  private authorise(request: FastifyRequest): void {
    const token = this.config.METRICS_TOKEN;
    if (token === undefined) {
      if (!this.options.requireToken) return;
      // Not served at all: a stranger cannot tell it from a route that does not exist.
      throw new AppError({
        status: 404,
        code: ErrorCode.NOT_FOUND,
        message: 'Cannot GET /metrics',
      });
    }
    const presented = /^Bearer[ \t]+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
    if (!timingSafeEqual(digest(presented), digest(token))) {
      throw new AppError({
        status: 401,
        code: ErrorCode.UNAUTHORIZED,
        message: 'Metrics need Authorization: Bearer <METRICS_TOKEN>',
      });
    }
  }
}
