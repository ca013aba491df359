import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

/** The cookie the gateway sets next to the HttpOnly session: the CSRF token to echo. */
const CSRF_COOKIE = 'commerce_console_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function csrfToken(): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === CSRF_COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/**
 * State-changing calls carry the session's CSRF token (double submit); the session itself is the
 * HttpOnly cookie the browser sends on its own, so no token is ever in reach of this code.
 */
const csrf: Middleware = {
  onRequest({ request }) {
    const token = csrfToken();
    if (!SAFE_METHODS.has(request.method) && token) request.headers.set('x-csrf-token', token);
    return request;
  },
};

/** The typed client of the gateway's merged OpenAPI document (schema.d.ts is generated). */
export const api = createClient<paths>({ baseUrl: '/', credentials: 'same-origin' });
api.use(csrf);

/** The shared error shape's message, or a generic one. */
export function errorMessage(error: unknown, fallback = 'Something went wrong'): string {
  if (error && typeof error === 'object' && 'message' in error) {
    const { message } = error;
    if (typeof message === 'string' && message.length > 0) return message;
  }
  return fallback;
}
