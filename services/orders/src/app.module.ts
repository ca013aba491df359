import {
  APP_CONFIG,
  type CreateAppOptions,
  KitAuthModule,
  redisHealthIndicator,
} from '@commerce/nest-kit';
import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OrdersAnalyticsModule } from './analytics/analytics.module';
import { CartModule } from './cart/cart.module';
import { CheckoutClientModule, CheckoutModule } from './checkout/checkout.module';
import { CheckoutClient } from './checkout/checkout-client';
import type { OrdersConfig } from './config';
import { DatabaseModule } from './database/database.module';
import { OrdersModule } from './orders/orders.module';

/** The orders service: carts, orders and their status history. */
@Module({
  imports: [
    DatabaseModule,
    KitAuthModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: OrdersConfig) => ({
        jwksUrl: config.AUTH_JWKS_URL,
        redisUrl: config.REDIS_URL,
      }),
    }),
    OrdersAnalyticsModule,
    CheckoutClientModule,
    CartModule,
    OrdersModule,
    CheckoutModule,
  ],
})
export class AppModule {}

/** What the orders service adds to the kit; main.ts and the tests share it. */
export function ordersAppOptions(config: OrdersConfig): Omit<CreateAppOptions, 'config'> {
  return {
    health: {
      indicators: [
        {
          name: 'postgres',
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => () => dataSource.query('select 1'),
        },
        {
          name: 'temporal',
          inject: [CheckoutClient],
          useFactory: (client: CheckoutClient) => () => client.ping(),
        },
        // Every authenticated request checks token revocation in Redis.
        redisHealthIndicator({ url: config.REDIS_URL }),
      ],
    },
    openApi: {
      title: 'Orders service',
      description: 'Carts with current prices, orders with snapshotted items and a status history.',
      version: '0.1.0',
    },
  };
}
