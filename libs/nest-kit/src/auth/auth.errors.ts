import { AppError } from '../errors/app-error';
import { ErrorCode } from '../errors/error-codes';

/**
 * The errors of access-token verification. Every one is a 401 in the shared error shape except
 * AUTH_UNAVAILABLE: when the JWKS endpoint or the revocation store cannot be reached the token can
 * be neither accepted nor refused, so the answer is a 503 the client may retry (never a 500).
 */
export const AuthErrors = {
  missing: (): AppError =>
    new AppError({
      status: 401,
      code: ErrorCode.TOKEN_MISSING,
      message: 'An access token is required (Authorization: Bearer <token>)',
    }),
  invalid: (reason: string): AppError =>
    new AppError({ status: 401, code: ErrorCode.TOKEN_INVALID, message: reason }),
  expired: (): AppError =>
    new AppError({
      status: 401,
      code: ErrorCode.TOKEN_EXPIRED,
      message: 'Access token has expired',
    }),
  revoked: (): AppError =>
    new AppError({
      status: 401,
      code: ErrorCode.TOKEN_REVOKED,
      message: 'Access token has been revoked',
    }),
  unavailable: (what: string, cause?: unknown): AppError =>
    new AppError({
      status: 503,
      code: ErrorCode.AUTH_UNAVAILABLE,
      message: `Access tokens cannot be verified right now (${what} unreachable); retry later`,
      cause,
    }),
  forbidden: (required: readonly string[]): AppError =>
    new AppError({
      status: 403,
      code: ErrorCode.FORBIDDEN,
      message: `This operation requires one of the roles: ${required.join(', ')}`,
    }),
} as const;
