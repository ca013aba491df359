import type { AnalyticsEvent } from '@commerce/contracts';
import type { Queue } from 'bullmq';
import {
  ANALYTICS_JOB_OPTIONS,
  AnalyticsPublisher,
  type AnalyticsPublisherOptions,
  type PublishOutcome,
  analyticsJobId,
  analyticsPublisherProvider,
  publisherOptionsFromConfig,
} from './analytics-publisher';

const event: AnalyticsEvent = {
  id: 'product.viewed:p-1:req-1',
  type: 'product.viewed',
  at: '2026-01-02T03:04:05.000Z',
  productId: 'p-1',
};

type Add = (name: string, data: unknown, opts: Record<string, unknown>) => Promise<unknown>;

/** A publisher whose queue is a stub (no Redis). */
class StubbedPublisher extends AnalyticsPublisher {
  readonly calls: { name: string; data: unknown; opts: Record<string, unknown> }[] = [];
  created = 0;

  constructor(
    options: Partial<AnalyticsPublisherOptions>,
    private readonly add: Add,
  ) {
    super({ redisUrl: 'redis://127.0.0.1:1', prefix: 'p', ...options });
  }

  protected override createQueue(): Queue {
    this.created++;
    const stub = {
      add: (name: string, data: unknown, opts: Record<string, unknown>) => {
        this.calls.push({ name, data, opts });
        return this.add(name, data, opts);
      },
      on: () => stub,
      close: () => Promise.resolve(),
      disconnect: () => Promise.resolve(),
    };
    return stub as unknown as Queue;
  }
}

describe('analyticsJobId', () => {
  it('is the same for the same event id and differs between events', () => {
    expect(analyticsJobId('order.completed:o-1')).toBe(analyticsJobId('order.completed:o-1'));
    expect(analyticsJobId('order.completed:o-1')).not.toBe(analyticsJobId('order.completed:o-2'));
    expect(analyticsJobId('order.completed:o-1')).not.toBe(analyticsJobId('order.failed:o-1'));
  });

  it('is a BullMQ-safe custom id: no ":" and not a plain integer', () => {
    const id = analyticsJobId('cart.created:c-1:1700000000000');
    expect(id).toMatch(/^analytics-[0-9a-f]{40}$/);
    expect(id).not.toContain(':');
  });
});

describe('AnalyticsPublisher', () => {
  it('adds the event under its job id with retries, back-off and retention', async () => {
    const publisher = new StubbedPublisher({}, () => Promise.resolve({}));
    await expect(publisher.enqueue(event)).resolves.toBe(analyticsJobId(event.id));
    expect(publisher.calls).toEqual([
      {
        name: 'product.viewed',
        data: event,
        opts: { ...ANALYTICS_JOB_OPTIONS, jobId: analyticsJobId(event.id) },
      },
    ]);
    expect(ANALYTICS_JOB_OPTIONS.attempts).toBeGreaterThan(1);
    expect(ANALYTICS_JOB_OPTIONS.backoff).toMatchObject({ type: 'exponential' });
  });

  it('gives up after the timeout when Redis does not answer, without throwing', async () => {
    const outcomes: PublishOutcome[] = [];
    const warnings: string[] = [];
    const publisher = new StubbedPublisher(
      {
        timeoutMs: 50,
        onOutcome: (outcome) => outcomes.push(outcome),
        logger: { warn: (m) => warnings.push(m) },
      },
      () => new Promise(() => undefined),
    );
    const started = Date.now();
    await expect(publisher.publish(event)).resolves.toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(outcomes).toEqual(['timeout']);
    expect(warnings[0]).toMatch(/not published: no answer from Redis within 50 ms/);
  });

  it('reports a failing add as an error outcome, never as a rejection', async () => {
    const publisher = new StubbedPublisher({}, () =>
      Promise.reject(new Error("Stream isn't writeable")),
    );
    await expect(publisher.publish(event)).resolves.toBe('error');
    await expect(publisher.enqueue(event)).rejects.toThrow("Stream isn't writeable");
  });

  it('logs an outage once, not once per event', async () => {
    const warnings: string[] = [];
    const publisher = new StubbedPublisher({ logger: { warn: (m) => warnings.push(m) } }, () =>
      Promise.reject(new Error('down')),
    );
    for (let i = 0; i < 5; i++) await publisher.publish(event);
    expect(warnings).toHaveLength(1);
  });

  it('does nothing (and opens no connection) when disabled', async () => {
    const publisher = new StubbedPublisher({ enabled: false }, () => Promise.resolve({}));
    await expect(publisher.publish(event)).resolves.toBe('disabled');
    expect(publisher.created).toBe(0);
  });

  it('survives a throwing outcome hook', async () => {
    const publisher = new StubbedPublisher(
      {
        onOutcome: () => {
          throw new Error('metrics broke');
        },
      },
      () => Promise.resolve({}),
    );
    await expect(publisher.publish(event)).resolves.toBe('queued');
  });

  it('refuses to publish after close', async () => {
    const publisher = new StubbedPublisher({}, () => Promise.resolve({}));
    await publisher.publish(event);
    await publisher.close();
    await expect(publisher.publish(event)).resolves.toBe('disabled');
  });
});

describe('configuration', () => {
  const config = {
    SERVICE_NAME: 'products',
    REDIS_URL: 'redis://r:6379',
    QUEUE_PREFIX: 'shop',
    ANALYTICS_ENABLED: false,
    ANALYTICS_ENQUEUE_TIMEOUT_MS: 250,
  };

  it('reads the service config', () => {
    expect(publisherOptionsFromConfig(config)).toEqual({
      redisUrl: 'redis://r:6379',
      prefix: 'shop',
      enabled: false,
      timeoutMs: 250,
      connectionName: 'products:analytics',
    });
  });

  it('builds a Nest factory provider', () => {
    const TOKEN = Symbol('config');
    const provider = analyticsPublisherProvider(TOKEN);
    expect(provider.provide).toBe(AnalyticsPublisher);
    expect(provider.inject).toEqual([TOKEN]);
    const publisher = provider.useFactory(config);
    expect(publisher).toBeInstanceOf(AnalyticsPublisher);
    expect(publisher.enabled).toBe(false);
    expect(publisher.timeoutMs).toBe(250);
  });
});
