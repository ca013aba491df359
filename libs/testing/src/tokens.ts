import { JWKS_PATH, JWT_AUDIENCE, JWT_ISSUER, type Role } from '@commerce/contracts';
import {
  type KeyObject,
  createHmac,
  createPublicKey,
  generateKeyPairSync,
  randomUUID,
  sign,
} from 'node:crypto';
import { StandInServer, json } from './stand-in-server';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Claims of a valid access token for `sub` (15 minutes left), with `overrides` applied. */
export function accessClaims(
  sub: string = randomUUID(),
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub,
    jti: randomUUID(),
    roles: ['CUSTOMER'],
    iss: JWT_ISSUER,
    aud: JWT_AUDIENCE,
    iat: now,
    exp: now + 900,
    ...overrides,
  };
}

/**
 * A JWS signed ES256 with node:crypto, so tests control every byte (any key, any kid: a forged
 * token is just a token signed with another key).
 */
export function signEs256(key: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const input = `${b64({ alg: 'ES256', typ: 'JWT', kid })}.${b64(claims)}`;
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

/** A fresh ES256 (P-256) private key. */
export function newEcKey(): KeyObject {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
}

/** `alg: none`, no signature. */
export function signNone(claims: Record<string, unknown>, kid: string): string {
  return `${b64({ alg: 'none', typ: 'JWT', kid })}.${b64(claims)}.`;
}

/** HS256 with `secret` (the classic confusion: a public key's PEM used as an HMAC secret). */
export function signHs256(secret: string, claims: Record<string, unknown>, kid: string): string {
  const input = `${b64({ alg: 'HS256', typ: 'JWT', kid })}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/**
 * Stands in for the auth service in other services' tests: an ES256 key, its public half as a JWK
 * (served as a JWKS after `start()`), access tokens signed with it as the auth service issues them,
 * and the client-credentials `POST /auth/token` for the `clients` it knows.
 */
export class TestTokenIssuer extends StandInServer {
  readonly kid: string;
  /** The public key as the auth service publishes it in its JWKS. */
  readonly jwk: Record<string, unknown>;
  /** clientId -> clientSecret accepted by `POST /auth/token`. */
  readonly clients = new Map<string, string>();
  /** Lifetime of client-credentials tokens, in seconds. */
  tokenExpiresIn = 900;
  tokenRequests = 0;
  /** Client-credentials tokens issued, in order. */
  readonly issuedTokens: string[] = [];
  private readonly privateKey: KeyObject;

  constructor(key: { privateKey?: KeyObject; kid?: string } = {}) {
    super();
    this.privateKey = key.privateKey ?? newEcKey();
    this.kid = key.kid ?? randomUUID();
    const publicJwk = createPublicKey(this.privateKey).export({ format: 'jwk' });
    this.jwk = { ...publicJwk, kid: this.kid, alg: 'ES256', use: 'sig' };
    this.on('GET', JWKS_PATH, (_req, res) => json(res, 200, { keys: [this.jwk] }));
    this.on('POST', '/auth/token', (_req, res, body) => {
      this.tokenRequests++;
      const { clientId, clientSecret } = JSON.parse(body.toString('utf8')) as Record<
        string,
        string
      >;
      if (!clientId || this.clients.get(clientId) !== clientSecret) {
        return json(res, 401, { statusCode: 401, code: 'INVALID_CREDENTIALS' });
      }
      const accessToken = this.token(['SERVICE'], clientId);
      this.issuedTokens.push(accessToken);
      json(res, 200, { accessToken, expiresIn: this.tokenExpiresIn, tokenType: 'Bearer' });
    });
  }

  get jwksUrl(): string {
    return `${this.url}${JWKS_PATH}`;
  }

  /** A valid access token for a caller with `roles`, plus any claims in `extra` (e.g. `exp`). */
  token(
    roles: Role[] = ['CUSTOMER'],
    sub: string = randomUUID(),
    extra: Record<string, unknown> = {},
  ): string {
    return this.sign(accessClaims(sub, { roles, ...extra }));
  }

  /** `claims` signed with this key, under `kid` (another issuer's kid makes a forgery). */
  sign(claims: Record<string, unknown>, kid: string = this.kid): string {
    return signEs256(this.privateKey, kid, claims);
  }
}
