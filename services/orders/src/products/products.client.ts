import { AppError, InjectConfig } from '@commerce/nest-kit';
import { type ServiceCaller, ServiceClient, isServiceCallError } from '@commerce/service-client';
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
 * Client of the products service's public catalogue (no token). `null` means the product does not
 * exist or is not active; any other failure (down, timeout, 5xx, a malformed answer) is a 503
 * PRODUCTS_UNAVAILABLE, never a 500 and never mistaken for "no such product".
 */
@Injectable()
export class ProductsClient {
  private readonly products: ServiceCaller;

  constructor(@InjectConfig() config: OrdersConfig) {
    this.products = new ServiceClient({
      service: 'products',
      baseUrl: config.PRODUCTS_URL,
      timeoutMs: config.PRODUCTS_TIMEOUT_MS,
      userAgent: 'commerce-orders',
    });
  }

  async get(productId: string, requestId?: string): Promise<CatalogProduct | null> {
    let body: unknown;
    try {
      ({ body } = await this.products.request({
        method: 'GET',
        path: `/products/${encodeURIComponent(productId)}`,
        // Pricing a cart is not a customer's view of the product.
        headers: { 'x-analytics': 'off' },
        ...(requestId ? { requestId } : {}),
      }));
    } catch (error) {
      if (isServiceCallError(error) && error.status === 404) return null;
      throw productsUnavailable(error);
    }
    const parsed = productSchema.safeParse(body);
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
