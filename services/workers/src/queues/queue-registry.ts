import { QueueName } from '@commerce/contracts';
import { InjectConfig } from '@commerce/nest-kit';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { WorkersConfig } from '../config';

/** The queues this process works on, in the order Bull Board and the gauges list them. */
export const OBSERVED_QUEUES: readonly QueueName[] = [
  QueueName.email,
  QueueName.campaign,
  QueueName.analytics,
];

/**
 * Producer-side handles on this process's queues, for looking at them (Bull Board, gauges) rather
 * than working on them: the workers own their own connections. One shared connection suffices for
 * the read-mostly commands these issue.
 */
@Injectable()
export class QueueRegistry implements OnApplicationShutdown {
  readonly queues: ReadonlyMap<QueueName, Queue>;

  constructor(@InjectConfig() config: WorkersConfig) {
    this.queues = new Map(
      OBSERVED_QUEUES.map((name) => [
        name,
        new Queue(name, {
          connection: {
            url: config.REDIS_URL,
            connectionName: `${config.SERVICE_NAME}:observer:${name}`,
            // A scrape or a board page must fail fast while Redis is down, not queue up commands.
            enableOfflineQueue: false,
          },
          prefix: config.QUEUE_PREFIX,
        }),
      ]),
    );
    for (const queue of this.queues.values()) {
      // Without a listener an unreachable Redis would be an unhandled 'error' event.
      queue.on('error', () => undefined);
    }
  }

  all(): Queue[] {
    return [...this.queues.values()];
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.all().map((queue) => queue.close()));
  }
}
