import { Injectable, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Redis } from 'ioredis';
import { createApp } from '../bootstrap/create-app';
import { testConfig } from '../testing/kit.test-helpers';
import type { HealthIndicatorDefinition } from './health.types';
import { pingHealthIndicator } from './ping.indicator';
import { redisHealthIndicator } from './redis.indicator';
import { TimeoutError, withTimeout } from './with-timeout';

@Module({})
class EmptyModule {}

const REDIS = Symbol('REDIS');

@Injectable()
class FakeDatabase {
  healthy = true;
  query(): Promise<void> {
    return this.healthy ? Promise.resolve() : Promise.reject(new Error('connection refused'));
  }
}

@Module({ providers: [FakeDatabase], exports: [FakeDatabase] })
class DatabaseModule {}

async function appWith(indicators: HealthIndicatorDefinition[]): Promise<NestFastifyApplication> {
  return createApp(EmptyModule, {
    config: testConfig({ LOG_LEVEL: 'silent' }),
    health: { indicators },
    metrics: { defaultMetrics: false },
    openApi: false,
    shutdownHooks: false,
  });
}

describe('GET /health', () => {
  let app: NestFastifyApplication | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('is 200 with every dependency up', async () => {
    app = await appWith([
      pingHealthIndicator('upstream', () => Promise.resolve('ok')),
      {
        name: 'database',
        imports: [DatabaseModule],
        inject: [FakeDatabase],
        useFactory: (db: FakeDatabase) => () => db.query(),
      },
    ]);
    const res = await app.inject({ url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('no-cache');
    expect(res.json()).toEqual({
      status: 'ok',
      info: {
        upstream: { status: 'up', responseTimeMs: expect.any(Number) },
        database: { status: 'up', responseTimeMs: expect.any(Number) },
      },
      error: {},
      details: {
        upstream: { status: 'up', responseTimeMs: expect.any(Number) },
        database: { status: 'up', responseTimeMs: expect.any(Number) },
      },
    });
  });

  it('is 503 with terminus report, never 500, when dependencies fail in any way', async () => {
    app = await appWith([
      pingHealthIndicator('up', () => Promise.resolve()),
      pingHealthIndicator('rejects', () => Promise.reject(new Error('ECONNREFUSED'))),
      pingHealthIndicator('throws', () => {
        throw new TypeError('driver bug');
      }),
      pingHealthIndicator('hangs', () => new Promise(() => undefined), { timeoutMs: 50 }),
    ]);
    const res = await app.inject({ url: '/health' });
    expect(res.statusCode).toBe(503);
    const body = res.json();
    expect(body).toMatchObject({
      status: 'error',
      info: { up: { status: 'up' } },
      error: {
        rejects: { status: 'down', message: 'ECONNREFUSED' },
        throws: { status: 'down', message: 'driver bug' },
        hangs: { status: 'down', message: 'timed out after 50 ms' },
      },
    });
    expect(Object.keys(body.details as object)).toEqual(
      expect.arrayContaining(['up', 'rejects', 'throws', 'hangs']),
    );
  });

  it('follows the state of an injected dependency', async () => {
    app = await appWith([
      {
        name: 'database',
        imports: [DatabaseModule],
        inject: [FakeDatabase],
        useFactory: (db: FakeDatabase) => () => db.query(),
      },
    ]);
    app.get(FakeDatabase).healthy = false;
    expect((await app.inject({ url: '/health' })).statusCode).toBe(503);
    app.get(FakeDatabase).healthy = true;
    expect((await app.inject({ url: '/health' })).statusCode).toBe(200);
  });

  it('pings an injected Redis client and expects PONG', async () => {
    let reply = 'PONG';
    const fakeRedis = { ping: () => Promise.resolve(reply) } as unknown as Redis;
    @Module({ providers: [{ provide: REDIS, useValue: fakeRedis }], exports: [REDIS] })
    class RedisModule {}
    app = await appWith([redisHealthIndicator({ inject: REDIS, imports: [RedisModule] })]);
    expect((await app.inject({ url: '/health' })).json()).toMatchObject({
      info: { redis: { status: 'up' } },
    });
    reply = 'LOADING';
    const res = await app.inject({ url: '/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.redis).toEqual({
      status: 'down',
      message: 'unexpected PING reply "LOADING"',
    });
  });

  it('is 200 with no dependencies registered, and liveness ignores them', async () => {
    app = await appWith([pingHealthIndicator('down', () => Promise.reject(new Error('x')))]);
    expect((await app.inject({ url: '/health/live' })).statusCode).toBe(200);
    await app.close();
    app = await appWith([]);
    expect((await app.inject({ url: '/health' })).json()).toEqual({
      status: 'ok',
      info: {},
      error: {},
      details: {},
    });
  });

  it('closes what probes opened when the app shuts down', async () => {
    const close = jest.fn();
    app = await appWith([
      { name: 'owned', useFactory: () => ({ ping: () => Promise.resolve(), close }) },
    ]);
    await app.close();
    app = undefined;
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('refuses two indicators with the same name', async () => {
    await expect(
      appWith([
        pingHealthIndicator('x', () => Promise.resolve(1)),
        pingHealthIndicator('x', () => Promise.resolve(2)),
      ]),
    ).rejects.toThrow('Health indicator "x" is registered twice');
  });
});

describe('withTimeout', () => {
  it('resolves with the result in time', async () => {
    await expect(withTimeout(() => Promise.resolve(42), 100)).resolves.toBe(42);
  });

  it('rejects with a TimeoutError when too slow', async () => {
    await expect(withTimeout(() => new Promise(() => undefined), 10)).rejects.toBeInstanceOf(
      TimeoutError,
    );
  });

  it('does not leave an unhandled rejection when the late work fails', async () => {
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      await expect(
        withTimeout(
          () => new Promise((_, reject) => setTimeout(() => reject(new Error('late')), 20)),
          5,
        ),
      ).rejects.toThrow('timed out after 5 ms');
      await new Promise((resolve) => setTimeout(resolve, 40));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});
