import { AnalyticsPublisher } from '@commerce/analytics-publisher';
import { analyticsEventId } from '@commerce/contracts';
import { AppError, ErrorCode, InjectConfig, MetricsService } from '@commerce/nest-kit';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { OrdersConfig } from '../config';
import { lineTotal } from '../orders/totals';
import {
  type CatalogProduct,
  ProductsClient,
  productUnavailable,
} from '../products/products.client';
import type { CartDto, CartItemDto } from './cart.dto';

export interface CartLineRow {
  productId: string;
  quantity: number;
  currency: string;
}

/**
 * Serialises every change to one customer's cart (and the order taken from it) inside the
 * caller's transaction, so line counts, currency checks and "cart cleared" cannot interleave.
 */
export async function lockCart(manager: EntityManager, customerId: string): Promise<void> {
  await manager.query(`select pg_advisory_xact_lock(hashtextextended('cart:' || $1, 0))`, [
    customerId,
  ]);
}

export async function readCartLines(
  manager: EntityManager | DataSource,
  customerId: string,
): Promise<CartLineRow[]> {
  return manager.query<CartLineRow[]>(
    `select product_id as "productId", quantity, currency
       from cart_items where customer_id = $1 order by added_at, product_id`,
    [customerId],
  );
}

@Injectable()
export class CartService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly products: ProductsClient,
    private readonly metrics: MetricsService,
    @InjectConfig() private readonly config: OrdersConfig,
    private readonly analytics: AnalyticsPublisher,
  ) {}

  /** The cart with current prices from the products service. */
  async view(customerId: string, requestId?: string): Promise<CartDto> {
    const lines = await readCartLines(this.dataSource, customerId);
    const products = await this.products.getMany(
      lines.map((l) => l.productId),
      requestId,
    );
    const priced = lines.map((line) => toItem(line, products.get(line.productId) ?? null));
    // One currency per cart: a line whose product has since been repriced in another currency
    // cannot be ordered with the rest, so it shows as unavailable and stays out of the total.
    const currency = priced.find((item) => item.available)?.currency ?? priced[0]?.currency ?? null;
    const items = priced.map((item) =>
      item.available && item.currency !== currency ? toItem(item, null) : item,
    );
    const total = items.reduce((sum, item) => sum + item.lineTotal, 0);
    return { items, total, currency };
  }

  /** Adds `quantity` to the line of `productId` (creating it). */
  async add(
    customerId: string,
    productId: string,
    quantity: number,
    requestId?: string,
  ): Promise<CartItemDto> {
    try {
      this.checkQuantity(quantity);
      const product = await this.requireProduct(productId, requestId);
      const row = await this.dataSource.transaction(async (manager) => {
        await lockCart(manager, customerId);
        const lines = await readCartLines(manager, customerId);
        const existing = lines.find((l) => l.productId === productId);
        this.checkCurrency(lines, product);
        if (!existing && lines.length >= this.config.MAX_CART_LINES) {
          throw new AppError({
            status: 422,
            code: 'CART_FULL',
            message: `A cart holds at most ${this.config.MAX_CART_LINES} different products`,
          });
        }
        const newQuantity = (existing?.quantity ?? 0) + quantity;
        if (newQuantity > this.config.MAX_QUANTITY_PER_ITEM) {
          throw new AppError({
            status: 422,
            code: 'QUANTITY_LIMIT_EXCEEDED',
            message: `At most ${this.config.MAX_QUANTITY_PER_ITEM} of a product per order; the cart already holds ${existing?.quantity ?? 0}`,
            details: [{ field: 'quantity', productId, inCart: existing?.quantity ?? 0 }],
          });
        }
        const [saved] = await manager.query<(CartLineRow & { addedAt: Date })[]>(
          `insert into cart_items (customer_id, product_id, quantity, currency)
           values ($1, $2, $3, $4)
           on conflict (customer_id, product_id)
             do update set quantity = excluded.quantity, currency = excluded.currency, updated_at = now()
           returning product_id as "productId", quantity, currency, added_at as "addedAt"`,
          [customerId, productId, newQuantity, product.currency],
        );
        return { ...saved!, createdCart: lines.length === 0 };
      });
      this.metrics.recordBusinessOperation('cart.add', 'success');
      if (row.createdCart) void this.cartCreated(customerId, row.addedAt);
      return toItem(row, product);
    } catch (error) {
      this.metrics.recordBusinessOperation('cart.add', outcome(error));
      throw error;
    }
  }

  /**
   * `cart.created` when the first line went into an empty cart, in the background (it never slows
   * or fails the request). The id names this cart: its customer and its first line's time.
   */
  private async cartCreated(customerId: string, addedAt: Date): Promise<void> {
    await this.analytics.publish({
      id: analyticsEventId('cart.created', `${customerId}:${addedAt.getTime()}`),
      type: 'cart.created',
      at: addedAt.toISOString(),
      customerId,
    });
  }

  /** Sets the quantity of a line already in the cart. */
  async update(
    customerId: string,
    productId: string,
    quantity: number,
    requestId?: string,
  ): Promise<CartItemDto> {
    try {
      this.checkQuantity(quantity);
      const product = await this.requireProduct(productId, requestId);
      const row = await this.dataSource.transaction(async (manager) => {
        await lockCart(manager, customerId);
        const lines = await readCartLines(manager, customerId);
        if (!lines.some((l) => l.productId === productId)) throw notInCart(productId);
        this.checkCurrency(lines, product);
        const [saved] = await manager.query<CartLineRow[]>(
          // Wrapped in a CTE so TypeORM hands back the rows (for a bare UPDATE it returns [rows, count]).
          `with saved as (
             update cart_items set quantity = $3, currency = $4, updated_at = now()
              where customer_id = $1 and product_id = $2
             returning product_id as "productId", quantity, currency)
           select * from saved`,
          [customerId, productId, quantity, product.currency],
        );
        return saved!;
      });
      this.metrics.recordBusinessOperation('cart.update', 'success');
      return toItem(row, product);
    } catch (error) {
      this.metrics.recordBusinessOperation('cart.update', outcome(error));
      throw error;
    }
  }

  async remove(customerId: string, productId: string): Promise<void> {
    const rows = await this.dataSource.transaction(async (manager) => {
      await lockCart(manager, customerId);
      return manager.query<unknown[]>(
        `with gone as (
           delete from cart_items where customer_id = $1 and product_id = $2 returning product_id)
         select * from gone`,
        [customerId, productId],
      );
    });
    if (rows.length === 0) {
      this.metrics.recordBusinessOperation('cart.remove', 'rejected');
      throw notInCart(productId);
    }
    this.metrics.recordBusinessOperation('cart.remove', 'success');
  }

  private checkQuantity(quantity: number): void {
    const max = this.config.MAX_QUANTITY_PER_ITEM;
    if (quantity > max) {
      const message = `quantity must not be greater than ${max}`;
      throw new AppError({
        status: 400,
        code: ErrorCode.VALIDATION_FAILED,
        message: `Validation failed: ${message}`,
        details: [{ field: 'quantity', constraints: [message] }],
      });
    }
  }

  private async requireProduct(productId: string, requestId?: string): Promise<CatalogProduct> {
    const product = await this.products.get(productId, requestId);
    if (!product) throw productUnavailable([productId]);
    return product;
  }

  private checkCurrency(lines: readonly CartLineRow[], product: CatalogProduct): void {
    const other = lines.find((l) => l.productId !== product.id && l.currency !== product.currency);
    if (other) {
      throw new AppError({
        status: 422,
        code: 'CURRENCY_MISMATCH',
        message: `Product ${product.id} is priced in ${product.currency} but the cart is in ${other.currency}; a cart holds one currency`,
        details: [
          { productId: product.id, currency: product.currency, cartCurrency: other.currency },
        ],
      });
    }
  }
}

function toItem(line: CartLineRow, product: CatalogProduct | null): CartItemDto {
  if (!product) {
    return {
      productId: line.productId,
      quantity: line.quantity,
      unitPrice: null,
      name: null,
      sku: null,
      lineTotal: 0,
      currency: line.currency,
      available: false,
    };
  }
  return {
    productId: line.productId,
    quantity: line.quantity,
    unitPrice: product.price,
    name: product.name,
    sku: product.sku,
    lineTotal: lineTotal({ unitPrice: product.price, quantity: line.quantity }),
    currency: product.currency,
    available: true,
  };
}

const notInCart = (productId: string) =>
  new AppError({
    status: 404,
    code: ErrorCode.NOT_FOUND,
    message: `Product ${productId} is not in the cart`,
    details: [{ productId }],
  });

function outcome(error: unknown): string {
  return error instanceof AppError && error.getStatus() < 500 ? 'rejected' : 'error';
}
