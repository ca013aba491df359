import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { Redis } from 'ioredis';
import mongoose, { type Connection } from 'mongoose';
import type { NotificationProcessorsSettings } from './processors.config';

/** Injection token of the processors' settings (the host's config, as the processors read it). */
export const PROCESSORS_SETTINGS = Symbol('PROCESSORS_SETTINGS');

/** Injection token of the mongoose Connection of the delivery code (notifications database). */
export const DELIVERY_MONGO = Symbol('DELIVERY_MONGO');

/**
 * Injection token of the Redis client for delivery state: the campaign recipients, counters and
 * status keys (BullMQ keeps its own connections).
 */
export const DELIVERY_REDIS = Symbol('DELIVERY_REDIS');

/** Closes both after every job has stopped (onApplicationShutdown runs last). */
@Injectable()
class DeliveryConnectionsCloser implements OnApplicationShutdown {
  constructor(
    @Inject(DELIVERY_MONGO) private readonly connection: Connection,
    @Inject(DELIVERY_REDIS) private readonly redis: Redis,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([
      this.connection.close(),
      this.redis.quit().catch(() => this.redis.disconnect()),
    ]);
  }
}

/**
 * The processors' own connections: the notifications database (MONGO_URL; the API's schemas
 * build its indexes, the processors read and update documents) and Redis (REDIS_URL).
 */
export const deliveryConnections: Provider[] = [
  {
    provide: DELIVERY_MONGO,
    inject: [PROCESSORS_SETTINGS],
    useFactory: (settings: NotificationProcessorsSettings): Promise<Connection> =>
      mongoose
        .createConnection(settings.MONGO_URL, {
          serverSelectionTimeoutMS: 5000,
          // Idle connections ready for every job at once: the hand-over mark must reach its
          // socket without waiting for a new connection (see EmailProcessor).
          minPoolSize: settings.EMAIL_CONCURRENCY + 2,
          maxPoolSize: Math.max(100, settings.EMAIL_CONCURRENCY * 3),
          autoIndex: false,
          autoCreate: false,
          bufferCommands: false,
        })
        .asPromise(),
  },
  {
    provide: DELIVERY_REDIS,
    inject: [PROCESSORS_SETTINGS],
    useFactory: (settings: NotificationProcessorsSettings): Redis => {
      const redis = new Redis(settings.REDIS_URL, {
        connectionName: `${settings.SERVICE_NAME}:delivery`,
        maxRetriesPerRequest: 3,
      });
      redis.on('error', () => undefined); // the jobs see the failures
      return redis;
    },
  },
  DeliveryConnectionsCloser,
];
