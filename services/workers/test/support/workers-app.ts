import type { Env } from '@commerce/nest-kit';
import { type RunningService, ServiceTestApp, testEndpoints, uniqueName } from '@commerce/testing';
import mongoose from 'mongoose';
import { AppModule, workersAppOptions } from '../../src/app.module';
import { type WorkersConfig, workersConfigSchema } from '../../src/config';

export { eventually } from '@commerce/testing';

/**
 * One test file's workers host, in this process as main.ts builds it: the issuer's JWKS (Bull
 * Board), a scratch PostgreSQL database for the analytics read model it migrates, and a scratch
 * MongoDB database and BullMQ prefix for the notifications processors it hosts. (The processors'
 * own behaviour is tested in services/notifications/test and services/analytics/test.)
 */
export class WorkersTestApp extends ServiceTestApp<typeof workersConfigSchema> {
  readonly prefix = uniqueName('wk');
  readonly mongoUrl = testEndpoints.mongoUrl(uniqueName('workers'));

  constructor() {
    super({
      schema: workersConfigSchema,
      module: () => AppModule,
      appOptions: workersAppOptions,
      database: 'workers',
    });
  }

  /** Sets up and starts the host with `env` over this file's settings. */
  override async setUp(env: Env = {}): Promise<void> {
    await super.setUp();
    // The host creates the notifications database as it starts; it goes with the file.
    this.onTearDown(async () => {
      const connection = await mongoose.createConnection(this.mongoUrl).asPromise();
      await connection.dropDatabase().catch(() => undefined);
      await connection.close();
    });
    await this.start(env);
  }

  override start(env: Env = {}): Promise<RunningService<WorkersConfig>> {
    return super.start({ MONGO_URL: this.mongoUrl, QUEUE_PREFIX: this.prefix, ...env });
  }
}
