import { MetricsService } from '@commerce/nest-kit';
import { Injectable, Logger } from '@nestjs/common';
import type { JobType } from 'bullmq';
import { Gauge } from 'prom-client';
import { QueueRegistry } from './queue-registry';

/** The job states reported per queue (BullMQ's own names). */
export const GAUGED_STATES: JobType[] = [
  'waiting',
  'active',
  'delayed',
  'completed',
  'failed',
  'prioritized',
];

/**
 * `bullmq_queue_jobs{queue, state}` on /metrics: the job counts of every queue, read from Redis
 * when Prometheus scrapes (prom-client's `collect`), so the numbers are never stale and cost
 * nothing between scrapes. A queue whose counts cannot be read is left out of that scrape
 * (absent, not zero) and logged.
 */
@Injectable()
export class QueueGauges {
  private readonly logger = new Logger(QueueGauges.name);

  constructor(metrics: MetricsService, registry: QueueRegistry) {
    const logger = this.logger;
    new Gauge({
      name: 'bullmq_queue_jobs',
      help: 'Jobs per BullMQ queue and state, read at scrape time',
      labelNames: ['queue', 'state'],
      registers: [metrics.registry],
      async collect() {
        this.reset();
        await Promise.all(
          registry.all().map(async (queue) => {
            try {
              const counts = await queue.getJobCounts(...GAUGED_STATES);
              for (const state of GAUGED_STATES) {
                this.set({ queue: queue.name, state }, counts[state] ?? 0);
              }
            } catch (error) {
              logger.warn(`job counts of ${queue.name} unavailable: ${(error as Error).message}`);
            }
          }),
        );
      },
    });
  }
}
