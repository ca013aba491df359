import { type CampaignJobData, QueueName } from '@commerce/contracts';
import { InjectConfig } from '@commerce/nest-kit';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { NotificationsConfig } from '../config';

/**
 * The producer side of the `campaign-email` queue: one job per recipient, retried with
 * exponential backoff (CAMPAIGN_ATTEMPTS, CAMPAIGN_BACKOFF_MS); completed jobs are trimmed by
 * count, failed ones kept for inspection (the campaign's failures list is kept apart, in Redis).
 */
@Injectable()
export class CampaignQueue implements OnApplicationShutdown {
  readonly queue: Queue<CampaignJobData>;

  constructor(@InjectConfig() config: NotificationsConfig) {
    this.queue = new Queue<CampaignJobData>(QueueName.campaign, {
      connection: {
        url: config.REDIS_URL,
        enableOfflineQueue: false,
        connectionName: `${config.SERVICE_NAME}:campaign-producer`,
      },
      prefix: config.QUEUE_PREFIX,
      defaultJobOptions: {
        attempts: config.CAMPAIGN_ATTEMPTS,
        backoff: { type: 'exponential', delay: config.CAMPAIGN_BACKOFF_MS },
        removeOnComplete: { count: config.CAMPAIGN_KEEP_COMPLETED_COUNT },
        removeOnFail: { count: config.CAMPAIGN_KEEP_FAILED_COUNT },
      },
    });
    this.queue.on('error', () => undefined); // callers see the failures
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}
