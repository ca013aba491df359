import { Role } from '@commerce/contracts';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError } from '../errors/app-error';
import { ErrorCode } from '../errors/error-codes';
import { ROLES_KEY, SERVICE_CLIENTS_KEY } from './auth.constants';
import { AuthErrors } from './auth.errors';
import { getAuthUser } from './auth-user';

/**
 * Enforces `@Roles(...)`: the caller must hold at least one of the listed roles, else 403
 * FORBIDDEN. A service account (SERVICE token) passes a route requiring SERVICE only when the
 * route names its client id with `@ServiceClients(...)`: each account reaches just the internal
 * routes its caller needs, not every route of the shared role. Runs after JwtAuthGuard; a handler
 * with `@Roles` but no verified caller is a 401.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!required || required.length === 0) return true;
    const user = getAuthUser(context.switchToHttp().getRequest<object>());
    if (!user) throw AuthErrors.missing();
    if (user.roles.includes(Role.SERVICE) && required.includes(Role.SERVICE)) {
      const granted =
        this.reflector.getAllAndOverride<string[] | undefined>(SERVICE_CLIENTS_KEY, targets) ?? [];
      if (granted.includes(user.id)) return true;
      throw new AppError({
        status: 403,
        code: ErrorCode.FORBIDDEN,
        message: `This internal route is not granted to the service account '${user.id}'`,
      });
    }
    if (!user.roles.some((role) => required.includes(role))) throw AuthErrors.forbidden(required);
    return true;
  }
}
