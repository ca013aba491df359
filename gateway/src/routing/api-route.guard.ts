import { AppError, ErrorCode } from '@commerce/nest-kit';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { routeOf } from './route-context';

/**
 * First guard of the proxy: a path no service owns, or one under /api/internal, is a 404 before
 * anything else runs (no token check, no rate-limit count, no upstream call). Internal endpoints
 * answer exactly like paths that do not exist.
 */
@Injectable()
export class ApiRouteGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const route = routeOf(request);
    if (route.kind === 'upstream') return true;
    const path = (request.raw.url ?? request.url).split('?')[0] ?? '';
    throw new AppError({
      status: 404,
      code: ErrorCode.NOT_FOUND,
      message: `Cannot ${request.method} ${path}`,
    });
  }
}
