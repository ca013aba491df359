import type { CreateAppOptions } from '@commerce/nest-kit';
import { Global, Module } from '@nestjs/common';
import type { WorkerConfig } from './config';
import { TemporalWorkers } from './temporal-workers.service';

/** The worker process: Temporal workers for its roles, plus the kit's /health and /metrics. */
// Global so the kit's health module can inject the workers for its readiness probe.
@Global()
@Module({ providers: [TemporalWorkers], exports: [TemporalWorkers] })
export class WorkerModule {}

export function workerAppOptions(config: WorkerConfig): Omit<CreateAppOptions, 'config'> {
  return {
    health: {
      indicators: [
        {
          name: 'temporal-workers',
          inject: [TemporalWorkers],
          useFactory: (workers: TemporalWorkers) => () => Promise.resolve(workers.check()),
        },
      ],
    },
    openApi: {
      title: `Temporal worker (${config.WORKER_ROLES.join(', ')})`,
      description: 'Health and metrics of a Temporal worker process; it serves no API.',
      version: '0.1.0',
    },
  };
}
