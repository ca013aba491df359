import { Module } from '@nestjs/common';
import { ReadModelModule } from '../read-model/read-model.module';
import { AdminAnalyticsController } from './summary.controller';

/** The admin summary over the read model. */
@Module({
  imports: [ReadModelModule],
  controllers: [AdminAnalyticsController],
})
export class SummaryModule {}
