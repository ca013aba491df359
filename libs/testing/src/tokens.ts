import { JWT_AUDIENCE, JWT_ISSUER, type Role } from '@commerce/contracts';
import { type KeyObject, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Stands in for the auth service in a service's tests: an ES256 key, its public half as a JWK
 * (served as a JWKS over HTTP after `start()`, or added to a stand-in's own JWKS), and access
 * tokens signed with it exactly as the auth service issues them.
 */
export class TestTokenIssuer {
  readonly kid = randomUUID();
  private readonly privateKey: KeyObject;
  /** The public key as the auth service publishes it in its JWKS. */
  readonly jwk: Record<string, unknown>;
  private server?: Server;
  jwksUrl = '';

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    this.jwk = { ...publicKey.export({ format: 'jwk' }), kid: this.kid, alg: 'ES256', use: 'sig' };
  }

  /** Serves `{keys: [jwk]}` on a free loopback port; `jwksUrl` says where. */
  async start(): Promise<void> {
    // A second server would replace the first, which then never closes and keeps Jest alive.
    if (this.server) throw new Error('TestTokenIssuer is already started');
    const body = JSON.stringify({ keys: [this.jwk] });
    this.server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((ready) => this.server?.listen(0, '127.0.0.1', ready));
    const { port } = this.server.address() as AddressInfo;
    this.jwksUrl = `http://127.0.0.1:${port}/auth/.well-known/jwks.json`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  }

  /** A valid access token for a caller with `roles` (15 minutes), plus any extra claims. */
  token(roles: Role[], sub: string = randomUUID(), extra: { email?: string } = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      sub,
      jti: randomUUID(),
      roles,
      iss: JWT_ISSUER,
      aud: JWT_AUDIENCE,
      iat: now,
      exp: now + 900,
      ...extra,
    };
    const input = `${b64({ alg: 'ES256', typ: 'JWT', kid: this.kid })}.${b64(claims)}`;
    const signature = sign('sha256', Buffer.from(input), {
      key: this.privateKey,
      dsaEncoding: 'ieee-p1363',
    });
    return `${input}.${signature.toString('base64url')}`;
  }
}
