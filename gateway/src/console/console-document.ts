import { SESSION_COOKIE } from './console-cookies';

const json = (ref: string) => ({
  'application/json': { schema: { $ref: `#/components/schemas/${ref}` } },
});
const error = (description: string) => ({ description, content: json('ConsoleError') });

/** The console's session routes (console-session.controller.ts) in the gateway's own document. */
export const consoleSessionPaths: Record<string, Record<string, unknown>> = {
  '/admin/session': {
    post: {
      tags: ['console'],
      operationId: 'console_signIn',
      summary: 'Sign in to the operator console: sets the HttpOnly session cookies (ADMIN only)',
      security: [],
      requestBody: { required: true, content: json('ConsoleCredentials') },
      responses: {
        '200': { description: 'Signed in; cookies set', content: json('ConsoleSession') },
        '400': error('VALIDATION_FAILED, MALFORMED_JSON'),
        '401': error('INVALID_CREDENTIALS'),
        '403': error('FORBIDDEN (not an operator), CSRF_REJECTED (another origin)'),
        '415': error('UNSUPPORTED_MEDIA_TYPE'),
        '429': error('TOO_MANY_REQUESTS, TOO_MANY_ATTEMPTS (Retry-After)'),
      },
    },
    get: {
      tags: ['console'],
      operationId: 'console_session',
      summary: 'The operator the console session belongs to',
      security: [{ consoleSession: [] }],
      responses: {
        '200': { description: 'Signed in', content: json('ConsoleSession') },
        '401': error('TOKEN_MISSING, TOKEN_INVALID, TOKEN_EXPIRED, TOKEN_REVOKED'),
        '403': error('FORBIDDEN, CSRF_REJECTED'),
      },
    },
    delete: {
      tags: ['console'],
      operationId: 'console_signOut',
      summary: 'Sign out: revokes the tokens and clears the cookies (x-csrf-token when signed in)',
      security: [],
      responses: {
        '204': { description: 'Signed out' },
        '403': error('CSRF_REJECTED'),
      },
    },
  },
  '/admin/session/refresh': {
    post: {
      tags: ['console'],
      operationId: 'console_refresh',
      summary: 'A fresh access token for the console session, from its refresh cookie',
      description: 'Needs x-csrf-token, like every state-changing call of the console session.',
      security: [{ consoleSession: [] }],
      responses: {
        '200': { description: 'Renewed; cookies set', content: json('ConsoleSession') },
        '401': error('TOKEN_MISSING, REFRESH_TOKEN_*'),
        '403': error('FORBIDDEN, CSRF_REJECTED'),
      },
    },
  },
};

export const consoleSchemas: Record<string, unknown> = {
  // The shared error shape, named apart so the document stays whole without any service's part.
  ConsoleError: {
    type: 'object',
    properties: {
      statusCode: { type: 'integer' },
      error: { type: 'string' },
      message: { type: 'string' },
      code: { type: 'string' },
      details: { type: 'array', items: { type: 'object' } },
      requestId: { type: 'string' },
    },
    required: ['statusCode', 'error', 'message', 'code', 'requestId'],
  },
  ConsoleCredentials: {
    type: 'object',
    properties: {
      email: { type: 'string', maxLength: 320, example: 'admin@example.test' },
      password: { type: 'string', maxLength: 1024 },
    },
    required: ['email', 'password'],
  },
  ConsoleSession: {
    type: 'object',
    properties: {
      user: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          email: { type: 'string' },
          roles: { type: 'array', items: { type: 'string' } },
        },
        required: ['id', 'roles'],
      },
      expiresAt: { type: 'string', format: 'date-time' },
    },
    required: ['user', 'expiresAt'],
  },
};

export const consoleSecurityScheme = {
  type: 'apiKey',
  in: 'cookie',
  name: SESSION_COOKIE,
  description:
    'The console session (POST /admin/session); on /api it stands for the bearer token, with ' +
    'x-csrf-token on state-changing calls',
};
