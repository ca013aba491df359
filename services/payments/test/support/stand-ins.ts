import { JWKS_PATH, type PaymentSettledEvent } from '@commerce/contracts';
import { type TestTokenIssuer } from '@commerce/testing';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedEvent {
  orderId: string;
  event: PaymentSettledEvent;
  authorization: string | undefined;
}

/**
 * A real HTTP server on a free port standing in for the auth service (JWKS and the client
 * credentials `POST /auth/token`) and for the orders service's
 * `POST /internal/orders/:orderId/payment-events`.
 */
export class StandInServices {
  readonly jwks: { keys: object[] } = { keys: [] };
  /** clientId -> clientSecret accepted by /auth/token. */
  readonly clients = new Map<string, string>();
  /** Lifetime of issued tokens, in seconds. */
  tokenExpiresIn = 900;
  tokenRequests = 0;
  /** Tokens issued, in order. */
  readonly issuedTokens: string[] = [];
  /** Tokens the orders stand-in refuses with 401 (as if revoked). */
  readonly refusedTokens = new Set<string>();
  /** Events the orders stand-in accepted. */
  readonly events: RecordedEvent[] = [];
  /** Every delivery attempt, accepted or not. */
  eventAttempts = 0;
  /** When set, the orders stand-in answers this status instead of accepting. */
  eventsFailWith: number | undefined;
  private server: Server | undefined;
  private port = 0;

  constructor(private readonly issuer: TestTokenIssuer) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get jwksUrl(): string {
    return `${this.url}${JWKS_PATH}`;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      void this.answer(req).then(({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async answer(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const url = req.url ?? '';
    const text = await readBody(req);
    if (req.method === 'GET' && url === JWKS_PATH) return { status: 200, body: this.jwks };
    if (req.method === 'POST' && url === '/auth/token') {
      this.tokenRequests++;
      const { clientId, clientSecret } = JSON.parse(text) as Record<string, string>;
      if (!clientId || this.clients.get(clientId) !== clientSecret) {
        return { status: 401, body: { statusCode: 401, code: 'INVALID_CREDENTIALS' } };
      }
      const accessToken = this.issuer.token(['SERVICE'], clientId);
      this.issuedTokens.push(accessToken);
      return {
        status: 200,
        body: { accessToken, expiresIn: this.tokenExpiresIn, tokenType: 'Bearer' },
      };
    }
    const match = /^\/internal\/orders\/([^/]+)\/payment-events$/.exec(url);
    if (req.method === 'POST' && match) {
      this.eventAttempts++;
      const authorization = req.headers.authorization;
      const token = authorization?.replace(/^Bearer /, '');
      if (!token || !this.issuedTokens.includes(token) || this.refusedTokens.has(token)) {
        return { status: 401, body: { statusCode: 401, code: 'TOKEN_INVALID' } };
      }
      if (this.eventsFailWith) {
        return { status: this.eventsFailWith, body: { statusCode: this.eventsFailWith } };
      }
      this.events.push({
        orderId: decodeURIComponent(match[1] ?? ''),
        event: JSON.parse(text) as PaymentSettledEvent,
        authorization,
      });
      return { status: 202, body: { accepted: true } };
    }
    return { status: 404, body: { statusCode: 404, code: 'NOT_FOUND' } };
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
