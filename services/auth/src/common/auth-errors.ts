import { AppError } from '@commerce/nest-kit';

/** The auth service's own error codes (the kit's TOKEN_* codes cover access tokens). */
export const AuthErrorCode = {
  EMAIL_TAKEN: 'EMAIL_TAKEN',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  TOO_MANY_ATTEMPTS: 'TOO_MANY_ATTEMPTS',
  REFRESH_TOKEN_INVALID: 'REFRESH_TOKEN_INVALID',
  REFRESH_TOKEN_EXPIRED: 'REFRESH_TOKEN_EXPIRED',
  REFRESH_TOKEN_REUSED: 'REFRESH_TOKEN_REUSED',
  REFRESH_TOKEN_REVOKED: 'REFRESH_TOKEN_REVOKED',
  USER_NOT_FOUND: 'USER_NOT_FOUND',
  ROLE_CHANGE_FORBIDDEN: 'ROLE_CHANGE_FORBIDDEN',
  FORBIDDEN: 'FORBIDDEN',
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
} as const;

export const AuthErrors = {
  emailTaken: () =>
    new AppError({
      status: 409,
      code: AuthErrorCode.EMAIL_TAKEN,
      message: 'An account with this email already exists',
    }),
  // One message for an unknown email and a wrong password: the answer must not reveal which.
  invalidCredentials: () =>
    new AppError({
      status: 401,
      code: AuthErrorCode.INVALID_CREDENTIALS,
      message: 'Email or password is incorrect',
    }),
  invalidClientCredentials: () =>
    new AppError({
      status: 401,
      code: AuthErrorCode.INVALID_CREDENTIALS,
      message: 'Client id or secret is incorrect',
    }),
  tooManyAttempts: (retryAfterSeconds: number) =>
    new AppError({
      status: 429,
      code: AuthErrorCode.TOO_MANY_ATTEMPTS,
      message: `Too many failed attempts; try again in ${retryAfterSeconds} s`,
      details: [{ retryAfterSeconds }],
    }),
  refreshInvalid: () =>
    new AppError({
      status: 401,
      code: AuthErrorCode.REFRESH_TOKEN_INVALID,
      message: 'Refresh token is not valid',
    }),
  refreshExpired: () =>
    new AppError({
      status: 401,
      code: AuthErrorCode.REFRESH_TOKEN_EXPIRED,
      message: 'Refresh token has expired; log in again',
    }),
  refreshReused: () =>
    new AppError({
      status: 401,
      code: AuthErrorCode.REFRESH_TOKEN_REUSED,
      message: 'Refresh token was already used; the session has been revoked, log in again',
    }),
  refreshRevoked: () =>
    new AppError({
      status: 401,
      code: AuthErrorCode.REFRESH_TOKEN_REVOKED,
      message: 'The session of this refresh token has ended; log in again',
    }),
  userNotFound: (id: string) =>
    new AppError({
      status: 404,
      code: AuthErrorCode.USER_NOT_FOUND,
      message: `User ${id} does not exist`,
    }),
  roleChangeForbidden: (reason: string) =>
    new AppError({ status: 403, code: AuthErrorCode.ROLE_CHANGE_FORBIDDEN, message: reason }),
  forbidden: (reason: string) =>
    new AppError({ status: 403, code: AuthErrorCode.FORBIDDEN, message: reason }),
  invalidField: (field: string, constraints: readonly string[]) =>
    new AppError({
      status: 400,
      code: AuthErrorCode.VALIDATION_FAILED,
      message: `Validation failed: ${constraints.join('; ')}`,
      details: [{ field, constraints }],
    }),
  unavailable: (what: string, cause?: unknown) =>
    new AppError({
      status: 503,
      code: AuthErrorCode.SERVICE_UNAVAILABLE,
      message: `${what} is temporarily unavailable; retry later`,
      cause,
    }),
} as const;
