import { Role } from '@commerce/contracts';
import {
  type ExecutionContext,
  SetMetadata,
  applyDecorators,
  createParamDecorator,
} from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { IS_PUBLIC_KEY, ROLES_KEY, SERVICE_CLIENTS_KEY } from './auth.constants';
import { AuthErrors } from './auth.errors';
import { getAuthUser } from './auth-user';

/** No access token needed for this handler (or every handler of this controller). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);

/**
 * Documents a handler as needing a bearer token: the security requirement and the 401 answer
 * (TOKEN_MISSING, TOKEN_INVALID, TOKEN_EXPIRED, TOKEN_REVOKED) in the OpenAPI document.
 */
export const ApiAuth = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiBearerAuth(),
    ApiUnauthorizedResponse({
      type: ErrorResponseDto,
      description:
        'No valid access token (TOKEN_MISSING, TOKEN_INVALID, TOKEN_EXPIRED, TOKEN_REVOKED)',
    }),
  );

/**
 * The caller needs at least one of `roles` (checked by RolesGuard, 403 FORBIDDEN otherwise).
 * Also documents the bearer token and the 401/403 answers.
 */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiAuth(),
    ApiForbiddenResponse({
      type: ErrorResponseDto,
      description: `Requires one of the roles: ${roles.join(', ')} (FORBIDDEN)`,
    }),
  );

/**
 * An internal route for the named service accounts only (client ids of the client-credentials
 * grant, e.g. `'activities'`): the caller needs a SERVICE token whose subject is one of them,
 * else 403 FORBIDDEN. On a controller it grants every route; on a handler it replaces the
 * controller's list for that route. A route that requires SERVICE without this list is refused
 * to every service account, so granting a new internal route is this one annotation.
 */
export const ServiceClients = (...clientIds: string[]): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(SERVICE_CLIENTS_KEY, clientIds), Roles(Role.SERVICE));

/**
 * The verified caller (`AuthUser`). A handler that asks for it needs one: on a route the guard
 * let through without a token it answers 401 TOKEN_MISSING.
 */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const user = getAuthUser(context.switchToHttp().getRequest<object>());
  if (!user) throw AuthErrors.missing();
  return user;
});
