import type { PaymentSettledEvent } from '@commerce/contracts';
import {
  type ServiceCaller,
  ServiceClient,
  ServiceTokenProvider,
  isServiceCallError,
} from '@commerce/service-client';
import {
  PaymentEventsDeliveryError,
  type PaymentEventsPublisher,
  type PublishOutcome,
} from './payment-events.publisher';

export interface OrdersClientOptions {
  /** Base URL of the orders service. */
  ordersUrl: string;
  /** Base URL of the auth service, which gives the SERVICE token (`POST /auth/token`). */
  authUrl: string;
  clientId: string;
  clientSecret: string;
  /** Timeout of one token request and of one delivery. */
  timeoutMs: number;
  /** Clock of the token cache, for tests. */
  now?: () => number;
}

/** The orders service's client, with this service's SERVICE token (client credentials). */
export function ordersClient(options: OrdersClientOptions): ServiceClient {
  const tokens = new ServiceTokenProvider({
    authUrl: options.authUrl,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    timeoutMs: options.timeoutMs,
    // Renewed 30 s before it expires (or at 80% of a short token's life).
    renewBeforeMs: 30_000,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  return new ServiceClient({
    service: 'orders',
    baseUrl: options.ordersUrl,
    tokens,
    timeoutMs: options.timeoutMs,
    userAgent: 'commerce-payments',
  });
}

/** Answers meaning "this order cannot take the event" rather than "try again". */
const REFUSALS = new Set([409, 422]);

/**
 * POSTs each event to `/internal/orders/:orderId/payment-events` of the orders service through a
 * service client (SERVICE token by client credentials, renewed once after a 401). 2xx is
 * delivered; 409/422 is a refusal (recorded, not retried); anything else, a timeout, a connection
 * failure or no token throws, so the webhook is answered 503 and redelivered.
 */
export class HttpPaymentEventsPublisher implements PaymentEventsPublisher {
  constructor(private readonly orders: ServiceCaller) {}

  async publish(event: PaymentSettledEvent): Promise<PublishOutcome> {
    try {
      await this.orders.request({
        method: 'POST',
        path: `/internal/orders/${encodeURIComponent(event.orderId)}/payment-events`,
        body: event,
      });
      return { kind: 'delivered' };
    } catch (error) {
      if (
        isServiceCallError(error) &&
        error.service === this.orders.service &&
        error.kind === 'http' &&
        error.status !== undefined &&
        REFUSALS.has(error.status)
      ) {
        const said = [error.code, error.serviceMessage].filter(Boolean).join(': ');
        return { kind: 'refused', reason: said ? `${error.status} ${said}` : String(error.status) };
      }
      throw new PaymentEventsDeliveryError(
        `could not deliver the ${event.type} event of order ${event.orderId}: ${
          error instanceof Error ? error.message : String(error)
        }`,
        { cause: error },
      );
    }
  }
}
