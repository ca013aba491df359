import type { TestTokenIssuer } from '@commerce/testing';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInUser {
  id: string;
  email: string;
  name: string;
  roles: string[];
}

/**
 * Stands in for the auth service's part the campaign fan-out uses: the client-credentials
 * `POST /auth/token` and `GET /internal/users?role=&ids=&limit=&cursor=` (keyset pages by id, as
 * the real endpoint answers them), over an in-memory list of users.
 */
export class AuthStandIn {
  readonly users: StandInUser[] = [];
  readonly clients = new Map<string, string>([['notifications', 'dev-notifications-secret']]);
  /** Paths of the user list requests, in order. */
  readonly listRequests: string[] = [];
  private readonly tokens = new Set<string>();
  private server: Server | undefined;
  url = '';

  constructor(private readonly issuer: TestTokenIssuer) {}

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      void this.answer(req).then(({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      });
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  }

  private async answer(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const text = await new Promise<string>((resolve) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => resolve(body));
    });
    if (req.method === 'POST' && url.pathname === '/auth/token') {
      const { clientId, clientSecret } = JSON.parse(text) as Record<string, string>;
      if (!clientId || this.clients.get(clientId) !== clientSecret) {
        return { status: 401, body: { statusCode: 401, code: 'INVALID_CREDENTIALS' } };
      }
      const accessToken = this.issuer.token(['SERVICE'], clientId);
      this.tokens.add(accessToken);
      return { status: 200, body: { accessToken, expiresIn: 900, tokenType: 'Bearer' } };
    }
    if (req.method === 'GET' && url.pathname === '/internal/users') {
      const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
      if (!this.tokens.has(token)) return { status: 401, body: { statusCode: 401 } };
      this.listRequests.push(`${url.pathname}${url.search}`);
      const limit = Number(url.searchParams.get('limit') ?? 500);
      const role = url.searchParams.get('role');
      const cursor = url.searchParams.get('cursor');
      const ids = url.searchParams.getAll('ids').flatMap((v) => v.split(','));
      const rows = [...this.users]
        .sort((a, b) => a.id.localeCompare(b.id))
        .filter((u) => !cursor || u.id > cursor)
        .filter((u) => !role || u.roles.includes(role))
        .filter((u) => ids.length === 0 || ids.includes(u.id))
        .slice(0, limit + 1);
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return {
        status: 200,
        body: { items, limit, nextCursor: rows.length > limit && last ? last.id : null },
      };
    }
    return { status: 404, body: { statusCode: 404, code: 'NOT_FOUND' } };
  }
}
