import { type AnalyticsEvent, QueueName } from '@commerce/contracts';
import { TimeoutError, withTimeout } from '@commerce/nest-kit';
import { type JobsOptions, Queue } from 'bullmq';
import { createHash } from 'node:crypto';

/**
 * The BullMQ job id of an event. BullMQ refuses `:` in custom ids (it separates key parts), and
 * event ids are `<type>:<subject>`, so the id is a digest of the event id: the same event always
 * maps to the same job, which BullMQ adds only once while it is kept.
 */
export function analyticsJobId(eventId: string): string {
  return `analytics-${createHash('sha256').update(eventId).digest('hex').slice(0, 40)}`;
}

/** Retries, back-off and retention of every analytics job (producers and the analytics route). */
export const ANALYTICS_JOB_OPTIONS: Readonly<Omit<JobsOptions, 'jobId'>> = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  // Kept a while so a repeat of a recent event is recognised by its job id; the read model's own
  // applied-events table is what makes a later repeat harmless.
  removeOnComplete: { count: 10_000, age: 24 * 3600 },
  removeOnFail: { count: 10_000, age: 14 * 24 * 3600 },
};

export interface AnalyticsPublisherOptions {
  readonly redisUrl: string;
  /** Prefix of the BullMQ keys; the analytics processor must use the same one. */
  readonly prefix: string;
  /** When false, `publish` does nothing (and opens no connection). */
  readonly enabled?: boolean;
  /** Longest a publish may take before it is given up (the event is then lost). */
  readonly timeoutMs?: number;
  /** Name of the Redis connection (CLIENT LIST), e.g. `products:analytics`. */
  readonly connectionName?: string;
  readonly logger?: PublisherLogger;
  /** Told the outcome of every `publish` (e.g. to count them in the service's metrics). */
  readonly onOutcome?: (outcome: PublishOutcome, event: AnalyticsEvent) => void;
}

export interface PublisherLogger {
  warn(message: string): void;
}

export type PublishOutcome = 'queued' | 'disabled' | 'timeout' | 'error';

/** Environment of a service that publishes analytics events (see `publisherOptionsFromConfig`). */
export interface AnalyticsPublisherConfig {
  readonly SERVICE_NAME: string;
  readonly REDIS_URL: string;
  /** The queue's Redis when it is not REDIS_URL. */
  readonly ANALYTICS_REDIS_URL?: string | undefined;
  readonly QUEUE_PREFIX: string;
  readonly ANALYTICS_ENABLED: boolean;
  readonly ANALYTICS_ENQUEUE_TIMEOUT_MS: number;
}

export const DEFAULT_ENQUEUE_TIMEOUT_MS = 500;

/** At most one warning per this many milliseconds, so an outage does not flood the logs. */
const WARN_EVERY_MS = 10_000;

/**
 * Puts analytics events on the `analytics` queue. `enqueue` reports failures (for a caller whose
 * answer depends on it, such as the analytics internal route); `publish` is best effort for request
 * handlers: it never throws, never takes longer than the timeout, and is meant to be left running
 * (`void publisher.publish(event)`), so a Redis outage costs the caller nothing.
 */
export class AnalyticsPublisher {
  readonly enabled: boolean;
  readonly timeoutMs: number;
  private queue: Queue | undefined;
  private lastWarning = 0;
  private closed = false;

  constructor(private readonly options: AnalyticsPublisherOptions) {
    this.enabled = options.enabled ?? true;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_ENQUEUE_TIMEOUT_MS;
  }

  /** Adds the event's job (once per event id while the job is kept); resolves with its id. */
  async enqueue(event: AnalyticsEvent): Promise<string> {
    const jobId = analyticsJobId(event.id);
    await withTimeout(
      () => this.getQueue().add(event.type, event, { ...ANALYTICS_JOB_OPTIONS, jobId }),
      this.timeoutMs,
    );
    return jobId;
  }

  /** Best effort: logs and reports a failure, never throws. */
  async publish(event: AnalyticsEvent): Promise<PublishOutcome> {
    let outcome: PublishOutcome;
    if (!this.enabled || this.closed) {
      outcome = 'disabled';
    } else {
      try {
        await this.enqueue(event);
        outcome = 'queued';
      } catch (error) {
        outcome = error instanceof TimeoutError ? 'timeout' : 'error';
        const reason =
          outcome === 'timeout'
            ? `no answer from Redis within ${this.timeoutMs} ms`
            : describe(error);
        this.warn(`analytics event ${event.id} not published: ${reason}`);
      }
    }
    try {
      this.options.onOutcome?.(outcome, event);
    } catch {
      // A metrics hook must not break the caller either.
    }
    return outcome;
  }

  /** Closes the Redis connection (Nest calls it at shutdown when the publisher is a provider). */
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    this.closed = true;
    const queue = this.queue;
    this.queue = undefined;
    if (!queue) return;
    // A queue that never connected can take long to close (or wait for Redis forever): give it
    // a moment, then drop the connection so nothing keeps reconnecting after shutdown.
    await withTimeout(() => queue.close(), 1000).catch(() =>
      withTimeout(() => queue.disconnect(), 500).catch(() => undefined),
    );
  }

  private getQueue(): Queue {
    if (this.closed) throw new Error('the analytics publisher is closed');
    if (this.queue) return this.queue;
    const queue = this.createQueue();
    queue.on('error', (error: Error) => this.warn(`analytics queue: ${error.message}`));
    this.queue = queue;
    return queue;
  }

  /** The BullMQ queue, opened on first use (tests replace it). */
  protected createQueue(): Queue {
    return new Queue(QueueName.analytics, {
      prefix: this.options.prefix,
      connection: {
        url: this.options.redisUrl,
        ...(this.options.connectionName ? { connectionName: this.options.connectionName } : {}),
        // Fail commands at once while disconnected instead of queueing them in memory for the
        // length of an outage; the publish timeout covers the wait for the first connection.
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        connectTimeout: Math.max(this.timeoutMs, 1000),
      },
    });
  }

  private warn(message: string): void {
    const now = Date.now();
    if (now - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = now;
    this.options.logger?.warn(message);
  }
}

/** Publisher options from a service's validated config. */
export function publisherOptionsFromConfig(
  config: AnalyticsPublisherConfig,
  extra: Pick<AnalyticsPublisherOptions, 'logger' | 'onOutcome'> = {},
): AnalyticsPublisherOptions {
  return {
    redisUrl: config.ANALYTICS_REDIS_URL ?? config.REDIS_URL,
    prefix: config.QUEUE_PREFIX,
    enabled: config.ANALYTICS_ENABLED,
    timeoutMs: config.ANALYTICS_ENQUEUE_TIMEOUT_MS,
    connectionName: `${config.SERVICE_NAME}:analytics`,
    ...extra,
  };
}

/**
 * A Nest factory provider of the publisher: `providers: [analyticsPublisherProvider(APP_CONFIG)]`,
 * then inject `AnalyticsPublisher`. `extras` (optional tokens, e.g. the metrics service) are
 * passed to `build`, which adds logger and outcome hooks. Nest closes it at shutdown.
 */
export function analyticsPublisherProvider<Extras extends unknown[] = []>(
  configToken: ProviderToken,
  extras: { inject?: ProviderToken[]; build?: (...deps: Extras) => PublisherHooks } = {},
) {
  return {
    provide: AnalyticsPublisher,
    inject: [configToken, ...(extras.inject ?? [])],
    useFactory: (config: AnalyticsPublisherConfig, ...deps: unknown[]) =>
      new AnalyticsPublisher(
        publisherOptionsFromConfig(config, extras.build?.(...(deps as Extras)) ?? {}),
      ),
  };
}

/** A Nest injection token (a class, a string or a symbol), without depending on Nest. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- Nest's own token type
export type ProviderToken = string | symbol | Function;

export type PublisherHooks = Pick<AnalyticsPublisherOptions, 'logger' | 'onOutcome'>;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
