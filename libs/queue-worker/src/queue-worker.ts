import { MetricsService } from '@commerce/nest-kit';
import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import {
  DelayedError,
  type Job,
  type RateLimiterOptions,
  UnrecoverableError,
  Worker,
} from 'bullmq';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { QueueWorkerSettings } from './queue-worker-config';

/** Identifies this process in BullMQ (job `processedBy`) and in claims: `host:pid`. */
export const WORKER_ID = `${hostname()}:${process.pid}`;

/**
 * One BullMQ worker for one queue, with the process's common settings: stalled-job detection
 * (WORKER_LOCK_DURATION_MS, WORKER_STALLED_INTERVAL_MS, WORKER_MAX_STALLED_COUNT), a jobs counter
 * (`business_operations_total{operation="job.<queue>", status=<outcome>}`) and a bounded graceful
 * stop. Each queue module provides one subclass; `Settings` is what its process's config offers.
 *
 * Stop (Nest's onModuleDestroy, i.e. on SIGTERM): the worker takes no new jobs and waits up to
 * WORKER_SHUTDOWN_GRACE_MS for the active ones; after that it signals them to abort (a job that
 * has not reached its point of no return puts itself back in the queue) and lets go. Jobs still
 * running when the process exits stall, and another worker runs them again once their lock expires.
 */
export abstract class QueueWorker<
  Data,
  Outcome extends string,
  Settings extends QueueWorkerSettings = QueueWorkerSettings,
>
  implements OnApplicationBootstrap, OnModuleDestroy
{
  protected abstract readonly queueName: string;
  protected abstract readonly concurrency: number;
  /** BullMQ's rate limiter for this queue (at most `max` jobs per `duration` ms), if any. */
  protected readonly limiter: RateLimiterOptions | undefined = undefined;
  protected readonly logger: Logger;
  private worker: Worker<Data, Outcome> | undefined;

  protected constructor(
    protected readonly config: Settings,
    private readonly metrics: MetricsService,
  ) {
    this.logger = new Logger(new.target.name);
  }

  /** Handles one job; `signal` aborts when the process is shutting down past its grace time. */
  protected abstract process(job: Job<Data>, token: string, signal: AbortSignal): Promise<Outcome>;

  onApplicationBootstrap(): void {
    const worker = new Worker<Data, Outcome>(
      this.queueName,
      // Three declared parameters: BullMQ then passes an AbortSignal per job.
      (job, token, signal) => this.run(job, token, signal),
      {
        connection: {
          url: this.config.REDIS_URL,
          connectionName: `${this.config.SERVICE_NAME}:${this.queueName}`,
        },
        prefix: this.config.QUEUE_PREFIX,
        name: WORKER_ID,
        concurrency: this.concurrency,
        lockDuration: this.config.WORKER_LOCK_DURATION_MS,
        stalledInterval: this.config.WORKER_STALLED_INTERVAL_MS,
        maxStalledCount: this.config.WORKER_MAX_STALLED_COUNT,
        ...(this.limiter ? { limiter: this.limiter } : {}),
      },
    );
    worker.on('error', (error) => {
      this.logger.warn(`queue ${this.queueName}: ${error.message}`);
    });
    worker.on('failed', (job, error) => {
      if (!job) return;
      const final = job.attemptsMade >= (job.opts.attempts ?? 1);
      const what = final || error instanceof UnrecoverableError ? 'failed for good' : 'will retry';
      this.logger.warn(`job ${job.id} (${this.queueName}) ${what}: ${error.message}`);
    });
    this.worker = worker;
  }

  /** Resolves once the worker is connected (tests wait for it). */
  async waitUntilReady(): Promise<void> {
    await this.worker?.waitUntilReady();
  }

  async onModuleDestroy(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    const closing = worker.close();
    const graceMs = this.config.WORKER_SHUTDOWN_GRACE_MS;
    const finished = await Promise.race([
      closing.then(() => true),
      sleep(graceMs, false, { ref: false }),
    ]);
    if (finished) return;
    this.logger.warn(
      `queue ${this.queueName}: active jobs still running after ${graceMs} ms; asking them to stop`,
    );
    worker.cancelAllJobs('the worker is shutting down');
    await Promise.race([closing, sleep(2000, undefined, { ref: false })]);
  }

  /** True when a failure of this run is the job's last (no retry follows). */
  protected isLastAttempt(job: Job<Data>): boolean {
    return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  }

  private async run(job: Job<Data>, token: string | undefined, signal: AbortSignal | undefined) {
    if (!token || !signal) throw new Error('BullMQ passed no lock token or abort signal');
    const operation = `job.${this.queueName}`;
    try {
      const outcome = await this.process(job, token, signal);
      this.metrics.recordBusinessOperation(operation, outcome);
      return outcome;
    } catch (error) {
      const status =
        error instanceof DelayedError
          ? 'deferred'
          : error instanceof UnrecoverableError || this.isLastAttempt(job)
            ? 'failed'
            : 'retry';
      this.metrics.recordBusinessOperation(operation, status);
      throw error;
    }
  }
}
