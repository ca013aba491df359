import { JWKS_PATH } from '@commerce/contracts';
import { randomUUID } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInProduct {
  id: string;
  sku: string;
  name: string;
  description: string;
  price: number;
  currency: string;
  categoryId: string;
  active: boolean;
}

/**
 * A real HTTP server on a free port standing in for the products service (`GET /products/:id`
 * as its contract says) and for the auth service's JWKS.
 */
export class StandInServices {
  readonly products = new Map<string, StandInProduct>();
  readonly jwks: { keys: object[] } = { keys: [] };
  /** Product lookups answered so far. */
  productCalls = 0;
  /** `x-request-id` of each product lookup. */
  readonly requestIds: (string | undefined)[] = [];
  /** When set, product lookups answer this status (e.g. 500) instead. */
  failWith: number | undefined;
  /** When set, product lookups wait this long before answering. */
  delayMs = 0;
  private server: Server | undefined;
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get jwksUrl(): string {
    return `${this.url}${JWKS_PATH}`;
  }

  addProduct(overrides: Partial<StandInProduct> = {}): StandInProduct {
    const id = overrides.id ?? randomUUID();
    const product: StandInProduct = {
      id,
      sku: `SKU-${id.slice(0, 8)}`,
      name: `Product ${id.slice(0, 8)}`,
      description: 'A product',
      price: 1999,
      currency: 'EUR',
      categoryId: randomUUID(),
      active: true,
      ...overrides,
    };
    this.products.set(id, product);
    return product;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      const url = req.url ?? '';
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (url === JWKS_PATH) return send(200, this.jwks);
      const match = /^\/products\/([^/?]+)$/.exec(url);
      if (req.method !== 'GET' || !match) {
        return send(404, {
          statusCode: 404,
          error: 'Not Found',
          message: 'no route',
          code: 'NOT_FOUND',
        });
      }
      this.productCalls++;
      const requestId = req.headers['x-request-id'];
      this.requestIds.push(typeof requestId === 'string' ? requestId : undefined);
      const answer = () => {
        if (this.failWith) return send(this.failWith, { statusCode: this.failWith, code: 'BOOM' });
        const product = this.products.get(decodeURIComponent(match[1] ?? ''));
        if (!product || !product.active) {
          return send(404, {
            statusCode: 404,
            error: 'Not Found',
            message: 'Product not found',
            code: 'NOT_FOUND',
            requestId: 'x',
          });
        }
        return send(200, product);
      };
      if (this.delayMs > 0) setTimeout(answer, this.delayMs);
      else answer();
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
}
