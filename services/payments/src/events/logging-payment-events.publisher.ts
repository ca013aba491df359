import type { PaymentSettledEvent } from '@commerce/contracts';
import { Logger } from '@nestjs/common';
import type { PaymentEventsPublisher, PublishOutcome } from './payment-events.publisher';

/** ORDERS_URL=none: nobody to tell; the event is logged and counts as delivered. */
export class LoggingPaymentEventsPublisher implements PaymentEventsPublisher {
  private readonly logger = new Logger('PaymentEvents');

  publish(event: PaymentSettledEvent): Promise<PublishOutcome> {
    this.logger.log({ event }, `payment event ${event.type} for order ${event.orderId} (not sent)`);
    return Promise.resolve({ kind: 'delivered' });
  }
}
