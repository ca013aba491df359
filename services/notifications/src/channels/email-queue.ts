import { type EmailJobData, QueueName } from '@commerce/contracts';
import { InjectConfig } from '@commerce/nest-kit';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { NotificationsConfig } from '../config';

/**
 * The producer side of the `email` queue. Jobs retry with exponential backoff; completed jobs are
 * dropped after EMAIL_KEEP_COMPLETED_SECONDS, failed ones kept (up to EMAIL_KEEP_FAILED_COUNT) for
 * inspection. The connection does not queue commands while Redis is away, so a request fails fast
 * and the notification waits in MongoDB for the requeue sweep instead.
 */
@Injectable()
export class EmailQueue implements OnApplicationShutdown {
  readonly queue: Queue<EmailJobData>;

  constructor(@InjectConfig() config: NotificationsConfig) {
    this.queue = new Queue<EmailJobData>(QueueName.email, {
      connection: {
        url: config.REDIS_URL,
        enableOfflineQueue: false,
        connectionName: `${config.SERVICE_NAME}:email-producer`,
      },
      prefix: config.QUEUE_PREFIX,
      defaultJobOptions: {
        attempts: config.EMAIL_ATTEMPTS,
        backoff: { type: 'exponential', delay: config.EMAIL_BACKOFF_MS },
        removeOnComplete:
          config.EMAIL_KEEP_COMPLETED_SECONDS > 0
            ? { age: config.EMAIL_KEEP_COMPLETED_SECONDS }
            : true,
        removeOnFail: { count: config.EMAIL_KEEP_FAILED_COUNT },
      },
    });
    // Without a listener a Redis outage would be an unhandled 'error' event; callers see failures.
    this.queue.on('error', () => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}
