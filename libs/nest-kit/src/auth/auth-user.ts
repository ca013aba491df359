import type { AuthUser } from '@commerce/contracts';

// Kept off the request object's own fields so nothing the client sends can pose as it.
const USERS = new WeakMap<object, AuthUser>();

/** Records the verified caller of `request` (done by JwtAuthGuard). */
export function setAuthUser(request: object, user: AuthUser): void {
  USERS.set(request, user);
}

/** The verified caller of `request`, if a guard authenticated it. */
export function getAuthUser(request: object): AuthUser | undefined {
  return USERS.get(request);
}
