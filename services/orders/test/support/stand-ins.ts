import { StandInServer, json } from '@commerce/testing';
import { randomUUID } from 'node:crypto';

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

/** A real HTTP server standing in for the products service (`GET /products/:id`, as its contract says). */
export class StandInServices extends StandInServer {
  readonly products = new Map<string, StandInProduct>();
  /** Product lookups answered so far. */
  productCalls = 0;
  /** `x-request-id` of each product lookup. */
  readonly requestIds: (string | undefined)[] = [];
  /** When set, product lookups answer this status (e.g. 500) instead. */
  failWith: number | undefined;
  /** When set, product lookups wait this long before answering. */
  delayMs = 0;

  constructor() {
    super();
    this.on('GET', /^\/products\/([^/]+)$/, (req, res, _body, [id]) => {
      this.productCalls++;
      const requestId = req.headers['x-request-id'];
      this.requestIds.push(typeof requestId === 'string' ? requestId : undefined);
      const answer = () => {
        if (this.failWith)
          return json(res, this.failWith, { statusCode: this.failWith, code: 'BOOM' });
        const product = this.products.get(decodeURIComponent(id ?? ''));
        if (!product || !product.active) {
          return json(res, 404, {
            statusCode: 404,
            error: 'Not Found',
            message: 'Product not found',
            code: 'NOT_FOUND',
            requestId: 'x',
          });
        }
        return json(res, 200, product);
      };
      if (this.delayMs > 0) setTimeout(answer, this.delayMs);
      else answer();
    });
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
}
