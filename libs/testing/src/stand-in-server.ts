import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Answers one request; `params` are the groups of a RegExp path. */
export type StandInHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  params: string[],
) => void | Promise<void>;

/**
 * A real HTTP server on a loopback port standing in for a service in tests. Routes registered with
 * `on()` answer (method `*` matches any); anything else goes to `unrouted()`, a 404 unless a
 * subclass answers otherwise. Subclasses that record or filter requests override `handle()`.
 */
export class StandInServer {
  private readonly routes: { method: string; path: string | RegExp; handler: StandInHandler }[] =
    [];
  private server: Server | undefined;
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get listening(): boolean {
    return this.server !== undefined;
  }

  on(method: string, path: string | RegExp, handler: StandInHandler): this {
    this.routes.push({ method, path, handler });
    return this;
  }

  /** Listens on `port` (default: a free one the kernel picks). */
  async start(port = 0): Promise<this> {
    // A second server would replace the first, which then never closes and keeps Jest alive.
    if (this.server) throw new Error(`${this.constructor.name} is already started`);
    const server = createServer((req, res) => {
      void readBody(req)
        .then((body) => this.handle(req, res, body))
        .catch(() => res.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
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

  protected handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void | Promise<void> {
    const path = (req.url ?? '').split('?')[0] ?? '';
    for (const route of this.routes) {
      if (route.method !== '*' && route.method !== req.method) continue;
      if (typeof route.path === 'string') {
        if (route.path === path) return route.handler(req, res, body, []);
        continue;
      }
      const match = route.path.exec(path);
      if (match) return route.handler(req, res, body, match.slice(1));
    }
    return this.unrouted(req, res, body);
  }

  protected unrouted(req: IncomingMessage, res: ServerResponse, _body: Buffer): void {
    json(res, 404, { statusCode: 404, error: 'Not Found', message: 'no route', code: 'NOT_FOUND' });
  }
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Answers `body` as JSON. */
export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}
