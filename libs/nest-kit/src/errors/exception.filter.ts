import { type ArgumentsHost, Catch, type ExceptionFilter, Inject } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { APP_CONFIG } from '../config/config.tokens';
import type { BaseConfig } from '../config/base-config';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { REQUEST_ID_HEADER, resolveRequestId } from '../request-id/request-id';
import { buildErrorResponse } from './error-response';

/**
 * The single global filter: every error a client sees, from a controller, a guard, the validation
 * pipe, an unknown route or Fastify's body parsing, leaves through here in the shared shape.
 */
@Catch()
export class KitExceptionFilter implements ExceptionFilter {
  constructor(
    @Inject(APP_CONFIG) private readonly config: BaseConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    // RPC and websocket contexts have their own conventions; leave them to their adapters.
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const requestId = typeof request.id === 'string' ? request.id : resolveRequestId(request.raw);

    const { status, body, unexpected } = buildErrorResponse(exception, {
      requestId,
      exposeServerErrors: this.config.NODE_ENV !== 'production',
    });

    if (status >= 500) {
      // The full error stays here, tied to the request id the client got in its body.
      this.logger.error(
        { err: exception, requestId, method: request.method, url: request.url, statusCode: status },
        unexpected ? 'unhandled error while serving request' : 'request failed with a server error',
      );
    }
    if (reply.sent) return;
    void reply.header(REQUEST_ID_HEADER, requestId).status(status).send(body);
  }
}
