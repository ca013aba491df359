import { APP_CONFIG } from '@commerce/nest-kit';
import { Global, Module } from '@nestjs/common';
import { type PaymentsConfig, serviceClientSecret } from '../config';
import { HttpPaymentEventsPublisher, ordersClient } from './http-payment-events.publisher';
import { LoggingPaymentEventsPublisher } from './logging-payment-events.publisher';
import { PAYMENT_EVENTS_PUBLISHER, type PaymentEventsPublisher } from './payment-events.publisher';

/**
 * The PaymentEventsPublisher: HTTP to the orders service, or logging only with ORDERS_URL=none.
 * Tests override PAYMENT_EVENTS_PUBLISHER to record events instead.
 */
@Global()
@Module({
  providers: [
    {
      provide: PAYMENT_EVENTS_PUBLISHER,
      inject: [APP_CONFIG],
      useFactory: (config: PaymentsConfig): PaymentEventsPublisher => {
        if (config.ORDERS_URL === 'none') return new LoggingPaymentEventsPublisher();
        return new HttpPaymentEventsPublisher(
          ordersClient({
            ordersUrl: config.ORDERS_URL,
            authUrl: config.AUTH_URL,
            clientId: config.SERVICE_CLIENT_ID,
            clientSecret: serviceClientSecret(config),
            timeoutMs: config.PAYMENT_EVENTS_TIMEOUT_MS,
          }),
        );
      },
    },
  ],
  exports: [PAYMENT_EVENTS_PUBLISHER],
})
export class EventsModule {}
