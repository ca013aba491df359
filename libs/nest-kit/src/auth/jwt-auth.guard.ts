import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error';
import { IS_PUBLIC_KEY, KIT_AUTH_OPTIONS } from './auth.constants';
import type { KitAuthOptions } from './auth.options';
import { setAuthUser } from './auth-user';
import { JwtVerifier } from './jwt-verifier.service';

/**
 * Requires a valid access token on every HTTP route unless `isPublic(context)` says otherwise.
 * The verified caller is then available through `@CurrentUser()` or `getAuthUser(request)`.
 *
 * Publicness is decided in `isPublic`: handlers or controllers marked `@Public()` (among them the
 * kit's health and metrics controllers), and the `isPublic(request)` option. A subclass may override it
 * (e.g. the gateway deciding from the proxied path).
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    protected readonly reflector: Reflector,
    protected readonly verifier: JwtVerifier,
    @Inject(KIT_AUTH_OPTIONS) protected readonly authOptions: KitAuthOptions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    if (await this.isPublic(context)) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    try {
      setAuthUser(request, await this.verifier.verifyRequest(request));
      return true;
    } catch (error) {
      if (error instanceof AppError && error.getStatus() === 401) {
        const reply = http.getResponse<FastifyReply>();
        void reply.header('www-authenticate', `Bearer error="invalid_token"`);
      }
      throw error;
    }
  }

  /** Whether this request may go without a token. Override to add dynamic rules. */
  protected isPublic(context: ExecutionContext): boolean | Promise<boolean> {
    const marked = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (marked) return true;
    return (
      this.authOptions.isPublic?.(context.switchToHttp().getRequest<FastifyRequest>()) ?? false
    );
  }
}
