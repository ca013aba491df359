import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server standing in for the orders service's `POST /internal/orders/statuses` and
 * the auth service's `POST /auth/token`, for tests of the products side of the sweeper: which
 * expired reservations it releases given what the orders service answers (live, ended, unknown,
 * or no answer at all). The route itself is tested against the real orders service in
 * services/orders/test/orders.int-spec.ts.
 */
export class OrdersStandIn {
  /** Order id -> status, as the orders service would answer; ids not here are unknown orders. */
  readonly statuses = new Map<string, string>();
  /** When set, the statuses route answers this status (e.g. 503) instead. */
  failWith: number | undefined;
  /** Ids asked about, per call. */
  readonly asked: string[][] = [];
  /** The bearer token of each statuses call. */
  readonly tokens: (string | undefined)[] = [];
  private server: Server | undefined;

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    return `http://127.0.0.1:${address?.port ?? 0}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const send = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as {
          ids?: string[];
          clientId?: string;
        };
        if (req.method === 'POST' && req.url === '/auth/token') {
          return send(200, {
            accessToken: `token-of-${body.clientId ?? ''}`,
            expiresIn: 900,
            tokenType: 'Bearer',
          });
        }
        if (req.method === 'POST' && req.url === '/internal/orders/statuses') {
          this.asked.push(body.ids ?? []);
          this.tokens.push(req.headers.authorization);
          if (this.failWith) return send(this.failWith, { statusCode: this.failWith });
          const items = (body.ids ?? []).flatMap((id) => {
            const status = this.statuses.get(id);
            return status ? [{ id, status }] : [];
          });
          return send(200, { items });
        }
        send(404, { statusCode: 404, message: 'no route' });
      });
    });
    await new Promise<void>((ready) => this.server?.listen(0, '127.0.0.1', ready));
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  }
}
