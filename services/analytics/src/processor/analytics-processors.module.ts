import { Module } from '@nestjs/common';
import { ReadModelModule } from '../read-model/read-model.module';
import { AnalyticsProcessor } from './analytics.processor';

/**
 * The `analytics` queue's processor and the read model it writes (PostgreSQL, migrated at start).
 * Hosted by src/processors.main.ts on its own, or by any process whose config spreads
 * `analyticsProcessorEnv` and `queueWorkerEnv` next to REDIS_URL and QUEUE_PREFIX (the workers
 * process in development).
 */
@Module({
  imports: [ReadModelModule],
  providers: [AnalyticsProcessor],
  exports: [AnalyticsProcessor],
})
export class AnalyticsProcessorsModule {}
