import fastifyStatic, { type FastifyStaticOptions } from '@fastify/static';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { codeForStatus, reasonPhrase } from '../errors/error-codes';
import { fromFrameworkError } from '../errors/error-response';
import { REQUEST_ID_HEADER, resolveRequestId } from '../request-id/request-id';

export interface KitFastifyAdapterOptions {
  /** Larger bodies are refused with 413 before they are read into memory. */
  readonly bodyLimit: number;
  /**
   * Off by default: only behind a proxy you control should `X-Forwarded-*` decide the client
   * address (rate limits and logs rely on it). Same values as Fastify's `trustProxy`.
   */
  readonly trustProxy?: FastifyServerOptions['trustProxy'];
}

type ErrorHandler = Parameters<FastifyAdapter['setErrorHandler']>[0];

/**
 * The Fastify adapter every app uses. Beyond the options, it makes two things hold for every
 * response, including those Fastify produces before Nest runs:
 * - the request id: Fastify's `genReqId` is the shared resolver, and an onRequest hook echoes it
 *   in `x-request-id`;
 * - the error shape: Nest's Fastify error handler turns Fastify's own errors into a plain
 *   HttpException(message, status), losing their code, so they are translated first into AppErrors
 *   (MALFORMED_JSON, PAYLOAD_TOO_LARGE, ...) and then reach the global filter like any other error.
 */
export class KitFastifyAdapter extends FastifyAdapter {
  private readonly bodyLimit: number;

  constructor(options: KitFastifyAdapterOptions) {
    super({
      bodyLimit: options.bodyLimit,
      trustProxy: options.trustProxy ?? false,
      genReqId: resolveRequestId,
      // Fastify would otherwise copy a configured header verbatim, unvalidated.
      requestIdHeader: false,
      // pino-http (through nestjs-pino) does the request logging.
      logger: false,
      // Errors of Fastify's router (a malformed URL, a path parameter past maxParamLength) come
      // before any hook or Nest: answered here in the shared shape, without echoing the path.
      frameworkErrors: (error: { code?: string }, request: FastifyRequest, reply: FastifyReply) => {
        const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
        void reply
          .header(REQUEST_ID_HEADER, request.id)
          .code(status)
          .send({
            statusCode: status,
            error: reasonPhrase(status),
            message:
              status === 414 ? 'A path segment of the URL is too long' : 'The URL is malformed',
            code: codeForStatus(status),
            requestId: request.id,
          });
      },
    });
    this.bodyLimit = options.bodyLimit;
    const fastify = this.getInstance();
    fastify.addHook('onRequest', (request, reply, done) => {
      void reply.header(REQUEST_ID_HEADER, request.id);
      done();
    });
    // Once shutdown begins, responses to in-flight requests close their connection; otherwise a
    // kept-alive socket left idle would hold the drain open for the whole grace period.
    let draining = false;
    fastify.addHook('preClose', (done) => {
      draining = true;
      done();
    });
    fastify.addHook('onSend', (_request, reply, payload, done) => {
      if (draining) void reply.header('connection', 'close');
      done(null, payload);
    });
  }

  /**
   * Swagger UI's assets. Nest's own version requires @fastify/static from its folder, where the
   * version matching its peer range (v10) needs Node 22; the kit depends on v9, which runs on 20.
   */
  override useStaticAssets(options: FastifyStaticOptions) {
    return this.getInstance().register(fastifyStatic, options);
  }

  override setErrorHandler(handler: ErrorHandler) {
    const bodyLimit = this.bodyLimit;
    return super.setErrorHandler(function (this: FastifyInstance, error, request, reply) {
      const translated = fromFrameworkError(error, {
        bodyLimit,
        contentType: request.headers['content-type'],
      });
      const result: unknown = handler.call(this, translated ?? error, request, reply);
      return result;
    });
  }
}
