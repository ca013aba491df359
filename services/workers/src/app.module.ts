import { type AnalyticsProcessorConfig, AnalyticsProcessorsModule } from '@commerce/analytics';
import {
  APP_CONFIG,
  type CreateAppOptions,
  KitAuthModule,
  redisHealthIndicator,
} from '@commerce/nest-kit';
import { Module } from '@nestjs/common';
import type { Connection } from 'mongoose';
import { DataSource } from 'typeorm';
import type { WorkersConfig } from './config';
import { MONGO_CONNECTION, MongoModule } from './database/mongo.module';
import { DeliveryRedisModule } from './database/redis.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { EmailModule } from './email/email.module';
import { QueuesModule } from './queues/queues.module';

/**
 * The workers process: one module per BullMQ queue (transactional email, campaign email, and the
 * analytics context's processor, hosted from @commerce/analytics), plus a look at all of them
 * (Bull Board, queue gauges). Over HTTP: Bull Board, and the kit's /health and /metrics.
 */
@Module({
  imports: [
    MongoModule,
    DeliveryRedisModule,
    // App-wide: every route needs a verified token unless @Public (the kit's /health, /metrics).
    KitAuthModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: WorkersConfig) => ({
        jwksUrl: config.AUTH_JWKS_URL,
        redisUrl: config.REDIS_URL,
      }),
    }),
    EmailModule,
    CampaignsModule,
    AnalyticsProcessorsModule,
    QueuesModule,
  ],
})
export class AppModule {}

// The analytics processor reads its variables from this process's config.
const _hostsAnalytics: AnalyticsProcessorConfig = {} as WorkersConfig;
void _hostsAnalytics;

/** What the workers process adds to the kit; main.ts and the tests share it. */
export function workersAppOptions(config: WorkersConfig): Omit<CreateAppOptions, 'config'> {
  return {
    health: {
      indicators: [
        {
          name: 'mongodb',
          inject: [MONGO_CONNECTION],
          useFactory: (connection: Connection) => async () => {
            if (!connection.db) throw new Error(`not connected (state ${connection.readyState})`);
            await connection.db.admin().ping();
          },
        },
        redisHealthIndicator({ url: config.REDIS_URL }),
        {
          name: 'postgres',
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => () => dataSource.query('select 1'),
        },
      ],
    },
    openApi: {
      title: 'Workers',
      description: 'BullMQ processors (email, campaign email, analytics) and Bull Board.',
      version: '0.1.0',
    },
  };
}
