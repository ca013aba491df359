import type { Role } from '@commerce/contracts';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ROLES_KEY } from './auth.constants';
import { AuthErrors } from './auth.errors';
import { getAuthUser } from './auth-user';

/**
 * Enforces `@Roles(...)`: the caller must hold at least one of the listed roles, else 403
 * FORBIDDEN. Runs after JwtAuthGuard; a handler with `@Roles` but no verified caller is a 401.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required || required.length === 0) return true;
    const user = getAuthUser(context.switchToHttp().getRequest<object>());
    if (!user) throw AuthErrors.missing();
    if (!user.roles.some((role) => required.includes(role))) throw AuthErrors.forbidden(required);
    return true;
  }
}
