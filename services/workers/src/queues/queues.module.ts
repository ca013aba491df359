import { Module } from '@nestjs/common';
import { BullBoard } from './bull-board';
import { QueueGauges } from './queue-gauges';
import { QueueRegistry } from './queue-registry';

/** Looking at the queues: Bull Board at /admin/queues and the job-count gauges on /metrics. */
@Module({
  providers: [QueueRegistry, QueueGauges, BullBoard],
  exports: [QueueRegistry],
})
export class QueuesModule {}
