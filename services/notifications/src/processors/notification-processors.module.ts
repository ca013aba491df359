import {
  APP_CONFIG,
  type CreateAppOptions,
  type HealthIndicatorDefinition,
  redisHealthIndicator,
} from '@commerce/nest-kit';
import { type DynamicModule, Module } from '@nestjs/common';
import type { Connection } from 'mongoose';
import { CampaignDeliveryStore } from '../campaigns/campaign-delivery-store';
import { CampaignProcessor } from '../campaigns/campaign.processor';
import { EmailProcessor } from '../delivery/email.processor';
import { NotificationStore } from '../delivery/notification-store';
import { DELIVERY_MONGO, PROCESSORS_SETTINGS, deliveryConnections } from './delivery-connections';
import type {
  NotificationProcessorsConfig,
  NotificationProcessorsSettings,
} from './processors.config';

/**
 * The notifications context's BullMQ processors: `email` (transactional email, EmailProcessor)
 * and `campaign-email` (one job per campaign recipient, CampaignProcessor), with their own
 * connections to the notifications database and Redis. Its own process runs it
 * (processors.main.ts); a host process may compose it next to other modules, passing its config
 * through `settings` (its schema spreads notificationProcessorsEnv).
 */
@Module({})
export class NotificationProcessorsModule {
  /**
   * `settings` picks the processors' settings out of the app's config (APP_CONFIG), so a host's
   * schema is checked against what the processors need at compile time.
   */
  static forRoot<Config>(
    settings: (config: Config) => NotificationProcessorsSettings,
  ): DynamicModule {
    return {
      module: NotificationProcessorsModule,
      // Global, so the kit's health indicators can reach DELIVERY_MONGO.
      global: true,
      providers: [
        { provide: PROCESSORS_SETTINGS, inject: [APP_CONFIG], useFactory: settings },
        ...deliveryConnections,
        NotificationStore,
        CampaignDeliveryStore,
        EmailProcessor,
        CampaignProcessor,
      ],
      exports: [DELIVERY_MONGO, EmailProcessor, CampaignProcessor],
    };
  }
}

/** `/health` of the processors' MongoDB connection (named `mongodb`), for any host of the module. */
export const deliveryMongoHealth: HealthIndicatorDefinition = {
  name: 'mongodb',
  inject: [DELIVERY_MONGO],
  useFactory: (connection: Connection) => async () => {
    if (!connection.db) throw new Error(`not connected (state ${connection.readyState})`);
    await connection.db.admin().ping();
  },
};

/** What the processors entrypoint adds to the kit; processors.main.ts and the tests share it. */
export function processorsAppOptions(
  config: NotificationProcessorsConfig,
): Omit<CreateAppOptions, 'config'> {
  return {
    health: { indicators: [deliveryMongoHealth, redisHealthIndicator({ url: config.REDIS_URL })] },
    // Health and metrics only: no API to document.
    openApi: false,
  };
}

/** The processors as their own app (the module on the entrypoint's own config). */
export const processorsAppModule = NotificationProcessorsModule.forRoot(
  (config: NotificationProcessorsConfig) => config,
);
