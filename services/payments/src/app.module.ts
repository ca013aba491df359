import {
  APP_CONFIG,
  type CreateAppOptions,
  type Env,
  KitAuthModule,
  loadConfig,
  redisHealthIndicator,
} from '@commerce/nest-kit';
import { type DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  type PaymentsConfig,
  type ProviderKind,
  paymentsConfigSchema,
  providerKind,
} from './config';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { InvoicesModule } from './invoices/invoices.module';
import { PaymentsModule } from './payments/payments.module';
import { ProvidersModule } from './providers/providers.module';
import { WebhooksModule } from './webhooks/webhooks.module';

/**
 * The payments service: charges and refunds through a provider adapter, webhooks, invoices. The
 * module depends on which adapter is configured (test mode adds its own routes).
 */
@Module({})
export class AppModule {
  static register(options: { provider: ProviderKind }): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DatabaseModule,
        KitAuthModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: PaymentsConfig) => ({
            jwksUrl: config.AUTH_JWKS_URL,
            redisUrl: config.REDIS_URL,
          }),
        }),
        ProvidersModule.register(options.provider),
        EventsModule,
        InvoicesModule,
        PaymentsModule,
        WebhooksModule,
      ],
    };
  }

  static forConfig(config: PaymentsConfig): DynamicModule {
    return AppModule.register({ provider: providerKind(config) });
  }
}

/**
 * The app module for main.ts, which has only the environment: it is read here for the adapter
 * choice, and runService validates it again (and reports a bad one in its own words).
 */
export function paymentsAppModule(env: Env = process.env): DynamicModule {
  let provider: ProviderKind = 'stripe';
  try {
    provider = providerKind(loadConfig(paymentsConfigSchema, env));
  } catch {
    // An invalid environment: runService fails to start with the list of bad variables.
  }
  return AppModule.register({ provider });
}

/** What the payments service adds to the kit; main.ts and the tests share it. */
export function paymentsAppOptions(config: PaymentsConfig): Omit<CreateAppOptions, 'config'> {
  return {
    health: {
      indicators: [
        {
          name: 'postgres',
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => () => dataSource.query('select 1'),
        },
        // Every authenticated request checks token revocation in Redis.
        redisHealthIndicator({ url: config.REDIS_URL }),
      ],
    },
    openApi: {
      title: 'Payments service',
      description:
        'Charges and refunds through a provider adapter (Stripe or test mode) behind a circuit ' +
        'breaker, provider webhooks, invoices.',
      version: '0.1.0',
    },
  };
}
