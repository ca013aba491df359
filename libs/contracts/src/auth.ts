/** Roles a token can carry. SERVICE is for internal callers (the Temporal activities) only. */
export const Role = {
  CUSTOMER: 'CUSTOMER',
  ADMIN: 'ADMIN',
  SUPER_ADMIN: 'SUPER_ADMIN',
  SERVICE: 'SERVICE',
} as const;
export type Role = (typeof Role)[keyof typeof Role];

/** Roles a person can hold (SERVICE belongs to service accounts, never to a user). */
export const USER_ROLES = [Role.CUSTOMER, Role.ADMIN, Role.SUPER_ADMIN] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** Issuer and audience of every access token; verifiers check both. */
export const JWT_ISSUER = 'commerce-auth';
export const JWT_AUDIENCE = 'commerce';

/** Claims of an access token (ES256, `kid` in the header names the key in the JWKS). */
export interface AccessTokenClaims {
  sub: string;
  jti: string;
  roles: Role[];
  /** Present on user tokens; service-account tokens carry the client id in `sub`. */
  email?: string;
  iat: number;
  exp: number;
  iss: typeof JWT_ISSUER;
  aud: typeof JWT_AUDIENCE;
}

/** The authenticated caller, as services see it after verifying the token. */
export interface AuthUser {
  id: string;
  email?: string;
  roles: Role[];
  jti: string;
  /** Expiry of the token, seconds since the epoch. */
  exp: number;
}

/**
 * Client ids of the service accounts (client-credentials grant). Internal routes grant them one
 * by one with `@ServiceClients(...)` from the nest kit.
 */
export const ServiceClient = {
  /** The Temporal activities: inventory reservations, payments, order transitions, notifications. */
  activities: 'activities',
  /** The payments service: payment events to the orders service. */
  payments: 'payments',
  /** The notifications service: campaign audiences from the auth service. */
  notifications: 'notifications',
  /** The workers service. */
  workers: 'workers',
  /** The products service: its reservation sweeper asks the orders service which orders ended. */
  products: 'products',
} as const;
export type ServiceClientId = (typeof ServiceClient)[keyof typeof ServiceClient];

/**
 * Redis key marking an access token's `jti` as revoked (logout, family revocation). The auth
 * service sets it with a TTL until the token would expire; every verifier checks it.
 */
export const revokedJtiKey = (jti: string) => `auth:revoked-jti:${jti}`;

/** Path of the JWKS document on the auth service (and, proxied, under /api on the gateway). */
export const JWKS_PATH = '/auth/.well-known/jwks.json';
