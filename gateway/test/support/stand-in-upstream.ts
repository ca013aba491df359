import { createHash } from 'node:crypto';
import {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  createServer,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a stand-in upstream saw of one request. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly bodyLength: number;
  readonly bodySha256: string;
  readonly body: string;
}

export type StandInHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
) => void | Promise<void>;

/**
 * A real HTTP server on a free port standing in for a service. Every request is recorded; routes
 * registered with `on()` answer, everything else gets an echo of what arrived. It always serves
 * `/health/live` (unless `healthy = false`) and, when given one, `/docs-json`.
 */
export class StandInUpstream {
  readonly requests: SeenRequest[] = [];
  healthy = true;
  private readonly routes: { method: string; path: string | RegExp; handler: StandInHandler }[] =
    [];
  private server: Server | undefined;
  private port = 0;

  constructor(private readonly options: { docs?: object; bodyLimit?: number } = {}) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Requests other than the gateway's own probes (health, docs). */
  get calls(): SeenRequest[] {
    return this.requests.filter((r) => !r.url.startsWith('/health') && r.url !== '/docs-json');
  }

  on(method: string, path: string | RegExp, handler: StandInHandler): this {
    this.routes.push({ method, path, handler });
    return this;
  }

  async start(port = 0): Promise<this> {
    const server = createServer((req, res) => {
      void this.handle(req, res);
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

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let length = 0;
    let tooLarge = false;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      length += chunk.length;
      if (this.options.bodyLimit !== undefined && length > this.options.bodyLimit) tooLarge = true;
      else chunks.push(chunk);
    }
    const body = Buffer.concat(chunks);
    const url = req.url ?? '';
    this.requests.push({
      method: req.method ?? '',
      url,
      headers: req.headers,
      bodyLength: length,
      bodySha256: createHash('sha256').update(body).digest('hex'),
      body: tooLarge ? '' : body.toString('utf8'),
    });
    const path = url.split('?')[0] ?? '';
    if (tooLarge) {
      return json(res, 413, {
        statusCode: 413,
        error: 'Payload Too Large',
        message: `Request body exceeds the limit of ${this.options.bodyLimit} bytes`,
        code: 'PAYLOAD_TOO_LARGE',
        requestId: req.headers['x-request-id'],
      });
    }
    if (path === '/health/live') {
      return json(res, this.healthy ? 200 : 503, { status: this.healthy ? 'ok' : 'error' });
    }
    if (path === '/docs-json' && this.options.docs) return json(res, 200, this.options.docs);
    const route = this.routes.find(
      (r) =>
        (r.method === '*' || r.method === req.method) &&
        (typeof r.path === 'string' ? r.path === path : r.path.test(path)),
    );
    if (route) return route.handler(req, res, body);
    return json(res, 200, {
      method: req.method,
      url,
      headers: req.headers,
      bodyLength: length,
      bodySha256: createHash('sha256').update(body).digest('hex'),
    });
  }
}

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

/** A minimal OpenAPI document as a Nest service would serve at /docs-json. */
export function standInDocs(
  title: string,
  paths: Record<string, unknown>,
  schemas: Record<string, unknown> = {},
): object {
  return {
    openapi: '3.0.0',
    info: { title, version: '1.0.0' },
    paths,
    // What the kit's setupOpenApi (DocumentBuilder.addBearerAuth) declares.
    components: {
      schemas,
      securitySchemes: { bearer: { scheme: 'bearer', bearerFormat: 'JWT', type: 'http' } },
    },
  };
}
