import { APP_CONFIG, ROOT_LOGGER } from '@commerce/nest-kit';
import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnModuleDestroy,
  type Provider,
} from '@nestjs/common';
import { type PaymentsConfig, type ProviderKind, stripeApiUrl, stripeSecretKey } from '../config';
import { PAYMENT_PROVIDER, type PaymentProvider } from './payment-provider';
import { type BreakerLogger, BreakerPaymentProvider } from './provider-breaker';
import { StripePaymentProvider } from './stripe.provider';
import { TestModePaymentProvider } from './test-mode.provider';
import { TestProviderController } from './test-provider.controller';

/** Stops the breaker's timers when the app closes. */
@Injectable()
class BreakerShutdown implements OnModuleDestroy {
  constructor(@Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider) {}

  onModuleDestroy(): void {
    if (this.provider instanceof BreakerPaymentProvider) this.provider.shutdown();
  }
}

function breakerFor(inner: PaymentProvider, config: PaymentsConfig, logger: BreakerLogger) {
  return new BreakerPaymentProvider(
    inner,
    {
      timeoutMs: config.BREAKER_TIMEOUT_MS,
      errorThresholdPercent: config.BREAKER_ERROR_THRESHOLD_PERCENT,
      volumeThreshold: config.BREAKER_VOLUME_THRESHOLD,
      rollingWindowMs: config.BREAKER_ROLLING_WINDOW_MS,
      resetTimeoutMs: config.BREAKER_RESET_TIMEOUT_MS,
    },
    logger,
  );
}

/**
 * The payment provider (PAYMENT_PROVIDER token): the Stripe or the test-mode adapter behind a
 * circuit breaker. The adapter itself is injectable by its class too; in test mode the
 * test-provider routes are registered, and only then.
 */
@Module({})
export class ProvidersModule {
  static register(kind: ProviderKind): DynamicModule {
    const adapter: Provider =
      kind === 'stripe'
        ? {
            provide: StripePaymentProvider,
            inject: [APP_CONFIG],
            useFactory: (config: PaymentsConfig) =>
              new StripePaymentProvider({
                secretKey: stripeSecretKey(config),
                apiUrl: stripeApiUrl(config),
                timeoutMs: config.STRIPE_TIMEOUT_MS,
                maxNetworkRetries: config.STRIPE_MAX_NETWORK_RETRIES,
              }),
          }
        : { provide: TestModePaymentProvider, useValue: new TestModePaymentProvider() };
    const adapterClass = kind === 'stripe' ? StripePaymentProvider : TestModePaymentProvider;
    return {
      module: ProvidersModule,
      global: true,
      controllers: kind === 'test' ? [TestProviderController] : [],
      providers: [
        adapter,
        {
          provide: PAYMENT_PROVIDER,
          inject: [adapterClass, APP_CONFIG, ROOT_LOGGER],
          useFactory: (inner: PaymentProvider, config: PaymentsConfig, logger: BreakerLogger) =>
            breakerFor(inner, config, logger),
        },
        BreakerShutdown,
      ],
      exports: [PAYMENT_PROVIDER, adapterClass],
    };
  }
}
