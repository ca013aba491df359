import { APP_CONFIG } from '@commerce/nest-kit';
import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import mongoose, { type Connection } from 'mongoose';
import type { WorkersConfig } from '../config';

/** Injection token of the mongoose Connection to the notifications database. */
export const MONGO_CONNECTION = Symbol('MONGO_CONNECTION');

/** Closes the connection after every job has stopped (onApplicationShutdown runs last). */
@Injectable()
class MongoConnectionCloser implements OnApplicationShutdown {
  constructor(@Inject(MONGO_CONNECTION) private readonly connection: Connection) {}

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}

/**
 * The notifications database (the same MONGO_URL as the notifications service, which owns the
 * collections and their indexes; this process only reads and updates documents).
 */
@Global()
@Module({
  providers: [
    {
      provide: MONGO_CONNECTION,
      inject: [APP_CONFIG],
      useFactory: (config: WorkersConfig): Promise<Connection> =>
        mongoose
          .createConnection(config.MONGO_URL, {
            serverSelectionTimeoutMS: 5000,
            // Idle connections ready for every job at once: the hand-over mark must reach its
            // socket without waiting for a new connection (see EmailProcessor).
            minPoolSize: config.EMAIL_CONCURRENCY + 2,
            maxPoolSize: Math.max(100, config.EMAIL_CONCURRENCY * 3),
            autoIndex: false,
            autoCreate: false,
            bufferCommands: false,
          })
          .asPromise(),
    },
    MongoConnectionCloser,
  ],
  exports: [MONGO_CONNECTION],
})
export class MongoModule {}
