import { PassThrough } from 'node:stream';
import { InjectConfig } from '@commerce/nest-kit';
import fastifyCors from '@fastify/cors';
import fastifyReplyFrom from '@fastify/reply-from';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { type GatewayConfig, corsOrigins } from '../config';
import { UpstreamsService } from './upstreams.service';

/** Headers a browser script may read from the gateway's answers (RateLimiter names them). */
const EXPOSED_HEADERS = [
  'x-request-id',
  'retry-after',
  ...(['address', 'user'] as const).flatMap((name) => [
    `x-ratelimit-limit-${name}`,
    `x-ratelimit-remaining-${name}`,
    `x-ratelimit-reset-${name}`,
  ]),
];

/**
 * Fastify-level setup of the proxy, done once the routes exist and before the server starts:
 * - request bodies are never parsed here: one catch-all content-type parser hands the raw stream
 *   to the relay, so bodies stream to the service, which enforces its own size limit and JSON
 *   validity (its 400/413 reach the client unchanged);
 * - @fastify/reply-from on the upstreams' shared undici pool;
 * - CORS when CORS_ORIGINS (or development) allows any origin.
 */
@Injectable()
export class ProxyHttpSetup implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly upstreams: UpstreamsService,
    @InjectConfig() private readonly config: GatewayConfig,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.removeAllContentTypeParsers();
    // Bodies stream through unparsed. undici gets a pass-through, not the client's own stream:
    // when the upstream answers (413, say) or fails before the body is all sent, undici destroys
    // what it was given, and the client's connection must survive that to read the answer.
    fastify.addContentTypeParser('*', (_request, payload, done) => {
      const body = new PassThrough();
      payload.pipe(body);
      done(null, body);
    });

    void fastify.register(fastifyReplyFrom, {
      undici: this.upstreams.agent,
      disableRequestLogging: true,
    });

    const origin = corsOrigins(this.config);
    if (origin) {
      void fastify.register(fastifyCors, {
        origin,
        methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
        exposedHeaders: EXPOSED_HEADERS,
        // Tokens travel in the Authorization header, not in cookies.
        credentials: false,
        maxAge: 600,
      });
    }
  }
}
