import type { PaymentSettledEvent } from '@commerce/contracts';
import {
  PaymentEventsDeliveryError,
  type PaymentEventsPublisher,
  type PublishOutcome,
} from './payment-events.publisher';
import type { ServiceTokenSource } from './service-token.source';

export interface HttpPublisherOptions {
  /** Base URL of the orders service. */
  ordersUrl: string;
  timeoutMs: number;
}

/** Answers meaning "this order cannot take the event" rather than "try again". */
const REFUSALS = new Set([409, 422]);

/**
 * POSTs each event to `${ORDERS_URL}/internal/orders/:orderId/payment-events` with a SERVICE token.
 * 2xx is delivered; 409/422 is a refusal (recorded, not retried); anything else, a timeout or a
 * connection failure throws, so the webhook is answered 503 and redelivered. A 401 renews the
 * token once.
 */
export class HttpPaymentEventsPublisher implements PaymentEventsPublisher {
  private readonly baseUrl: string;

  constructor(
    private readonly options: HttpPublisherOptions,
    private readonly tokens: ServiceTokenSource,
  ) {
    this.baseUrl = options.ordersUrl.replace(/\/+$/, '');
  }

  async publish(event: PaymentSettledEvent): Promise<PublishOutcome> {
    let res = await this.post(event);
    if (res.status === 401) {
      this.tokens.invalidate();
      res = await this.post(event);
    }
    if (res.status >= 200 && res.status < 300) return { kind: 'delivered' };
    if (REFUSALS.has(res.status)) {
      return { kind: 'refused', reason: `${res.status} ${summarise(res.body)}` };
    }
    throw new PaymentEventsDeliveryError(
      `orders service answered ${res.status} to the ${event.type} event of order ${event.orderId}`,
    );
  }

  private async post(event: PaymentSettledEvent): Promise<{ status: number; body: string }> {
    const url = `${this.baseUrl}/internal/orders/${encodeURIComponent(event.orderId)}/payment-events`;
    try {
      const token = await this.tokens.token();
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      return { status: res.status, body: await res.text() };
    } catch (error) {
      throw new PaymentEventsDeliveryError(
        `could not deliver the ${event.type} event of order ${event.orderId}: ${
          error instanceof Error ? error.message : String(error)
        }`,
        { cause: error },
      );
    }
  }
}

function summarise(body: string): string {
  try {
    const parsed = JSON.parse(body) as { code?: unknown; message?: unknown };
    return [parsed.code, parsed.message].filter((p) => typeof p === 'string').join(': ');
  } catch {
    return body.slice(0, 200);
  }
}
