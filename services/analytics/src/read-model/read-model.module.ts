import { Module } from '@nestjs/common';
import { AnalyticsPostgresModule } from '../database/analytics-postgres.module';
import { AnalyticsStore } from './analytics.store';

/** The read model in PostgreSQL: the processor writes it, the summary reads it. */
@Module({
  imports: [AnalyticsPostgresModule],
  providers: [AnalyticsStore],
  exports: [AnalyticsStore],
})
export class ReadModelModule {}
