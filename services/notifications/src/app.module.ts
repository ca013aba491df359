import {
  APP_CONFIG,
  type CreateAppOptions,
  KitAuthModule,
  redisHealthIndicator,
} from '@commerce/nest-kit';
import { Module } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { NotificationsConfig } from './config';
import { CampaignsModule } from './campaigns/campaigns.module';
import { DatabaseModule } from './database/database.module';
import { NotificationsModule } from './notifications/notifications.module';

/** The notifications service: templates, channels, in-app notifications and campaigns. */
@Module({
  imports: [
    DatabaseModule,
    KitAuthModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: NotificationsConfig) => ({
        jwksUrl: config.AUTH_JWKS_URL,
        redisUrl: config.REDIS_URL,
      }),
    }),
    NotificationsModule,
    CampaignsModule,
  ],
})
export class AppModule {}

/** What the notifications service adds to the kit; main.ts and the tests share it. */
export function notificationsAppOptions(
  config: NotificationsConfig,
): Omit<CreateAppOptions, 'config'> {
  return {
    health: {
      indicators: [
        {
          name: 'mongodb',
          inject: [getConnectionToken()],
          useFactory: (connection: Connection) => async () => {
            if (!connection.db) throw new Error(`not connected (state ${connection.readyState})`);
            await connection.db.admin().ping();
          },
        },
        // The email queue, and token revocation on every authenticated request.
        redisHealthIndicator({ url: config.REDIS_URL }),
      ],
    },
    openApi: {
      title: 'Notifications service',
      description:
        'Templates (per key and locale), email/SMS/push delivery and in-app notifications.',
      version: '0.1.0',
    },
  };
}
