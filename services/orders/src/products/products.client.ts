import { AppError, InjectConfig, REQUEST_ID_HEADER } from '@commerce/nest-kit';
import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { OrdersConfig } from '../config';

/** What the orders service needs of a product (the products service's public `GET /products/:id`). */
export interface CatalogProduct {
  id: string;
  sku: string;
  name: string;
  price: number;
  currency: string;
  active: boolean;
}

const productSchema = z.object({
  id: z.string(),
  sku: z.string(),
  name: z.string(),
  price: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  currency: z.string().regex(/^[A-Z]{3}$/),
  active: z.boolean(),
});

export const productsUnavailable = (cause?: unknown) =>
  new AppError({
    status: 503,
    code: 'PRODUCTS_UNAVAILABLE',
    message: 'The products service is unavailable; try again shortly',
    cause,
  });

/**
 * HTTP client of the products service. `null` means the product does not exist or is not active;
 * any other failure (down, timeout, 5xx, a malformed answer) is a 503 PRODUCTS_UNAVAILABLE, never a
 * 500 and never mistaken for "no such product".
 */
@Injectable()
export class ProductsClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(@InjectConfig() config: OrdersConfig) {
    this.baseUrl = config.PRODUCTS_URL.replace(/\/+$/, '');
    this.timeoutMs = config.PRODUCTS_TIMEOUT_MS;
  }

  async get(productId: string, requestId?: string): Promise<CatalogProduct | null> {
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${this.baseUrl}/products/${encodeURIComponent(productId)}`, {
        headers: {
          accept: 'application/json',
          // Pricing a cart is not a customer's view of the product.
          'x-analytics': 'off',
          ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}),
        },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (error) {
      throw productsUnavailable(error);
    }
    if (res.status === 404) return null;
    if (res.status !== 200) {
      throw productsUnavailable(new Error(`GET /products/${productId} answered ${res.status}`));
    }
    let parsed: ReturnType<typeof productSchema.safeParse>;
    try {
      parsed = productSchema.safeParse(JSON.parse(text));
    } catch (error) {
      throw productsUnavailable(error);
    }
    if (!parsed.success || parsed.data.id !== productId) {
      throw productsUnavailable(new Error(`GET /products/${productId}: unexpected answer`));
    }
    return parsed.data.active ? parsed.data : null;
  }

  /** Several products at once, keyed by id (`null` for unknown or inactive ones). */
  async getMany(
    productIds: readonly string[],
    requestId?: string,
  ): Promise<Map<string, CatalogProduct | null>> {
    const unique = [...new Set(productIds)];
    const products = await Promise.all(unique.map((id) => this.get(id, requestId)));
    return new Map(unique.map((id, i) => [id, products[i] ?? null]));
  }
}

export const productUnavailable = (productIds: readonly string[]) =>
  new AppError({
    status: 422,
    code: 'PRODUCT_UNAVAILABLE',
    message:
      productIds.length === 1
        ? `Product ${productIds[0]} does not exist or is not available`
        : `Products ${productIds.join(', ')} do not exist or are not available`,
    details: productIds.map((productId) => ({ productId })),
  });
