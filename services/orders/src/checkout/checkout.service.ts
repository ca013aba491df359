import { AnalyticsPublisher } from '@commerce/analytics-publisher';
import {
  type AuthUser,
  type CheckoutInput,
  OrderStatus,
  type OrderView,
  analyticsEventId,
} from '@commerce/contracts';
import { InjectConfig, MetricsService, ROOT_LOGGER } from '@commerce/nest-kit';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { OrdersConfig } from '../config';
import { OrdersService } from '../orders/orders.service';
import { CheckoutClient } from './checkout-client';
import type { CheckoutDto } from './checkout.dto';

interface StartRow {
  customerEmail: string | null;
  checkoutStartedAt: Date | null;
  status: OrderStatus;
}

/**
 * `POST /checkout`: the order from the cart (idempotent per customer and key), then its checkout
 * workflow (at most one per order). The order is written first; if Temporal cannot be reached the
 * order stays PENDING without a started checkout, and the sweeper below (or the client's retry
 * with the same key) starts it later, or fails it after a deadline, so no order is left dangling.
 */
@Injectable()
export class CheckoutService implements OnApplicationBootstrap, OnApplicationShutdown {
  private sweeper: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly orders: OrdersService,
    private readonly client: CheckoutClient,
    private readonly metrics: MetricsService,
    @InjectConfig() private readonly config: OrdersConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly analytics: AnalyticsPublisher,
  ) {}

  async checkout(
    user: AuthUser,
    body: CheckoutDto,
    idempotencyKey: string,
    requestId?: string,
  ): Promise<{ order: OrderView; created: boolean }> {
    const { order, created } = await this.orders.createFromCart(user.id, {
      paymentMethodId: body.paymentMethodId,
      shippingAddress: body.shippingAddress,
      idempotencyKey,
      requestId,
      customerEmail: user.email,
      reviewLimit: {
        threshold: this.config.CHECKOUT_REVIEW_THRESHOLD,
        max: this.config.CHECKOUT_MAX_PENDING_REVIEWS,
      },
    });
    // Also on a repeat: the event id is the order's, so it counts once, and a first publish
    // lost to a Redis outage gets another chance.
    void this.analytics.publish({
      id: analyticsEventId('checkout.started', order.id),
      type: 'checkout.started',
      at: order.createdAt,
      orderId: order.id,
      customerId: order.customerId,
      total: order.total,
      currency: order.currency,
    });
    await this.ensureStarted(order, requestId);
    this.metrics.recordBusinessOperation('checkout.submit', created ? 'created' : 'duplicate');
    return { order, created };
  }

  /** Starts the order's checkout unless it was started already (or the order has moved on). */
  async ensureStarted(order: OrderView, requestId?: string): Promise<void> {
    const [row] = await this.dataSource.query<StartRow[]>(
      `select customer_email as "customerEmail", checkout_started_at as "checkoutStartedAt", status
         from orders where id = $1`,
      [order.id],
    );
    if (!row || row.checkoutStartedAt || row.status !== OrderStatus.PENDING) return;
    const outcome = await this.client.start(this.inputFor(order, row.customerEmail, requestId));
    await this.dataSource.query(
      `update orders set checkout_started_at = now() where id = $1 and checkout_started_at is null`,
      [order.id],
    );
    this.metrics.recordBusinessOperation('checkout.start', outcome);
  }

  inputFor(order: OrderView, customerEmail: string | null, requestId?: string): CheckoutInput {
    return {
      orderId: order.id,
      customerId: order.customerId,
      customerEmail: customerEmail ?? '',
      items: order.items.map(({ productId, sku, name, quantity, unitPrice }) => ({
        productId,
        sku,
        name,
        quantity,
        unitPrice,
      })),
      total: order.total,
      currency: order.currency,
      paymentMethodId: order.paymentMethodId,
      reviewThreshold: this.config.CHECKOUT_REVIEW_THRESHOLD,
      reviewTimeoutMs: this.config.CHECKOUT_REVIEW_TIMEOUT_MS,
      paymentActionTimeoutMs: this.config.CHECKOUT_PAYMENT_ACTION_TIMEOUT_MS,
      ...(this.config.CHECKOUT_RESERVATION_HOLD_SECONDS === undefined
        ? {}
        : { reservationHoldSeconds: this.config.CHECKOUT_RESERVATION_HOLD_SECONDS }),
      ...(requestId ? { requestId } : {}),
    };
  }

  onApplicationBootstrap(): void {
    const every = this.config.CHECKOUT_START_RETRY_INTERVAL_MS;
    if (every === 0) return;
    this.sweeper = setInterval(() => {
      this.sweeping ??= this.sweep()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.warn({ err: error }, 'checkout sweep failed'))
        .finally(() => (this.sweeping = undefined));
    }, every);
    this.sweeper.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweeper);
    await this.sweeping;
  }

  /**
   * Orders whose checkout never started (Temporal was down when they were placed): start them, or
   * fail them once the deadline has passed. Returns how many it handled.
   */
  async sweep(batch = 50): Promise<number> {
    const rows = await this.dataSource.query<{ id: string; expired: boolean }[]>(
      `select id, created_at < now() - make_interval(secs => $1::double precision / 1000) as expired
         from orders
        where status = 'PENDING' and checkout_started_at is null
          and created_at < now() - interval '5 seconds'
        order by created_at limit $2`,
      [this.config.CHECKOUT_START_DEADLINE_MS, batch],
    );
    for (const { id, expired } of rows) {
      const order = await this.orders.get(id);
      if (expired) {
        await this.orders.transition(id, OrderStatus.FAILED, {
          reason: 'checkout could not be started',
          actor: 'checkout-sweeper',
        });
        this.logger.error({ orderId: id }, 'checkout never started; order failed');
        continue;
      }
      try {
        await this.ensureStarted(order);
        this.logger.info({ orderId: id }, 'checkout started by the sweeper');
      } catch (error) {
        this.logger.warn({ err: error, orderId: id }, 'checkout still cannot be started');
        return rows.length;
      }
    }
    return rows.length;
  }
}
