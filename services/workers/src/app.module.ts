import { type CreateAppOptions, redisHealthIndicator } from '@commerce/nest-kit';
import { Module } from '@nestjs/common';
import type { Connection } from 'mongoose';
import type { WorkersConfig } from './config';
import { MONGO_CONNECTION, MongoModule } from './database/mongo.module';
import { EmailModule } from './email/email.module';

/**
 * The workers process: one module per BullMQ queue (email for now; bulk campaign email and
 * analytics come as their own modules). Its HTTP side is only the kit's /health and /metrics.
 */
@Module({
  imports: [MongoModule, EmailModule],
})
export class AppModule {}

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
      ],
    },
    openApi: {
      title: 'Workers',
      description: 'BullMQ processors (email); only health and metrics over HTTP.',
      version: '0.1.0',
    },
  };
}
