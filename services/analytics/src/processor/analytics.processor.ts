import { type AnalyticsEvent, QueueName } from '@commerce/contracts';
import { InjectConfig, MetricsService } from '@commerce/nest-kit';
import { QueueWorker } from '@commerce/queue-worker';
import { Injectable } from '@nestjs/common';
import { type Job, UnrecoverableError } from 'bullmq';
import type { AnalyticsProcessorConfig } from '../config';
import { parseAnalyticsEvent } from '../events/analytics-event.schema';
import { type ApplyOutcome, AnalyticsStore } from '../read-model/analytics.store';

/**
 * Applies the `analytics` queue to the read model (ANALYTICS_CONCURRENCY jobs at once). Each job
 * is one event; the store applies an event id at most once, so retries, stalled jobs run again and
 * the same event enqueued under another job id all count once. A job whose data is not an event
 * fails for good (retrying cannot fix it).
 */
@Injectable()
export class AnalyticsProcessor extends QueueWorker<
  AnalyticsEvent,
  ApplyOutcome,
  AnalyticsProcessorConfig
> {
  protected readonly queueName = QueueName.analytics;
  protected readonly concurrency: number;

  constructor(
    @InjectConfig() config: AnalyticsProcessorConfig,
    metrics: MetricsService,
    private readonly store: AnalyticsStore,
  ) {
    super(config, metrics);
    this.concurrency = config.ANALYTICS_CONCURRENCY;
  }

  protected async process(job: Job<AnalyticsEvent>): Promise<ApplyOutcome> {
    const parsed = parseAnalyticsEvent(job.data);
    if (!parsed.ok) {
      const fields = parsed.violations.map((v) => v.field).join(', ');
      throw new UnrecoverableError(`job ${job.id} is not an analytics event (${fields})`);
    }
    return this.store.apply(parsed.event);
  }
}
