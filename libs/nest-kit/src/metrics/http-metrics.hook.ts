import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { MetricsService } from './metrics.service';

/**
 * Observes every response in Fastify's onResponse hook rather than a Nest interceptor, so 404s and
 * the 400/413/415 replies Fastify produces before Nest runs are counted too.
 */
export function installHttpMetrics(
  fastify: FastifyInstance,
  metrics: MetricsService,
  logger: Pick<Logger, 'warn'>,
): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    try {
      metrics.observeHttpRequest({
        method: request.method,
        // Fastify's route template; undefined when no route matched (the 404 handler).
        route: request.is404 ? undefined : request.routeOptions.url,
        statusCode: reply.statusCode,
        durationMs: reply.elapsedTime,
      });
    } catch (error) {
      // A metrics bug must never affect the response, which has already been sent anyway.
      logger.warn({ err: error }, 'failed to record HTTP metrics');
    }
    done();
  });
}
