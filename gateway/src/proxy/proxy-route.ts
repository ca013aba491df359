import {
  AppError,
  ErrorCode,
  JwtVerifier,
  clientAddressKey,
  getAuthUser,
  setAuthUser,
} from '@commerce/nest-kit';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
} from 'fastify';
import { RateLimiter } from '../rate-limit/rate-limiter';
import { routeOf, upstreamRouteOf } from '../routing/route-context';
import { API_PREFIX } from '../routing/route-table';
import { ProxyService } from './proxy.service';

/** find-my-way syntax (Fastify's router): everything below /api/. */
export const PROXY_ROUTE = `${API_PREFIX}/*`;

const INVALID_TOKEN_CHALLENGE = 'Bearer error="invalid_token"';

/**
 * The relay of everything under /api, registered on Fastify itself with its checks as Fastify
 * hooks rather than as a Nest controller behind guards: the route runs on every request the shop
 * gets, and Nest's guard pipeline (an execution context, reflector lookups, one guard after the
 * other) cost a visible share of the gateway's CPU for decisions that are fixed per route. Errors
 * thrown here still leave through the kit's exception filter (Nest installs it as Fastify's error
 * handler), so clients see the same shapes.
 *
 *   client -> address limit (global onRequest, RateLimitHooks) -> route check (404)
 *          -> sign-in limit (429) -> token check (401) -> user limit (429) -> relay
 *
 * The checks are onRequest hooks: a refused request is answered before its body is read.
 */
@Injectable()
export class ProxyRoute implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly proxy: ProxyService,
    private readonly verifier: JwtVerifier,
    private readonly limiter: RateLimiter,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const { policies } = this.limiter;

    /** A path no service owns, or one under /api/internal, is a 404 before anything else. */
    const checkRoute = (
      request: FastifyRequest,
      _reply: FastifyReply,
      done: HookHandlerDoneFunction,
    ): void => {
      if (routeOf(request).kind === 'upstream') return done();
      const path = (request.raw.url ?? request.url).split('?')[0] ?? '';
      done(
        new AppError({
          status: 404,
          code: ErrorCode.NOT_FOUND,
          message: `Cannot ${request.method} ${path}`,
        }),
      );
    };

    /** Sign-in and sign-up attempts count against a stricter per-address limit too. */
    const limitCredentialAttempts = async (
      request: FastifyRequest,
      reply: FastifyReply,
    ): Promise<void> => {
      if (!upstreamRouteOf(request)?.isCredentialAttempt) return;
      await this.limiter.consume(policies.auth, `ip:${clientAddressKey(request.ip)}`, reply);
    };

    /**
     * The edge token check (the kit's verifier: ES256 against the auth service's JWKS, revoked
     * jtis in Redis) on every route but the public ones. The Authorization header travels on
     * untouched: every service verifies the token again.
     */
    const checkToken = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
      if (upstreamRouteOf(request)?.isPublic) return;
      try {
        setAuthUser(request, await this.verifier.verifyRequest(request));
      } catch (error) {
        if (error instanceof AppError && error.getStatus() === 401) {
          void reply.header('www-authenticate', INVALID_TOKEN_CHALLENGE);
        }
        throw error;
      }
    };

    /** Requests the token check authenticated count per user, whichever address they use. */
    const limitUser = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
      const user = getAuthUser(request);
      if (user) await this.limiter.consume(policies.user, `user:${user.id}`, reply);
    };

    fastify.all(
      PROXY_ROUTE,
      { onRequest: [checkRoute, limitCredentialAttempts, checkToken, limitUser] },
      async (request, reply) => {
        // checkRoute let the request through, so the route is an upstream one.
        const route = upstreamRouteOf(request);
        if (!route) throw new Error('proxy reached without an upstream route');
        await this.proxy.forward(request, reply, route);
        // The answer is sent (or being streamed) by the relay: Fastify must not send one itself.
        return reply;
      },
    );
  }
}
