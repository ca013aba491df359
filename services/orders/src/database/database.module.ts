import { APP_CONFIG } from '@commerce/nest-kit';
import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { runMigrationsLocked } from '@commerce/persistence';
import type { OrdersConfig } from '../config';
import { MIGRATIONS } from '../migrations';

// Any constant works; it only has to be the same for every instance of this service.
const MIGRATION_LOCK = 7_245_310_003;

/**
 * Runs pending migrations before the app serves anything (never `synchronize`). Instances that
 * start together take turns through a PostgreSQL advisory lock.
 */
@Injectable()
export class MigrationsRunner implements OnModuleInit {
  constructor(private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    await runMigrationsLocked(this.dataSource, MIGRATION_LOCK);
  }
}

/**
 * TypeORM on PostgreSQL. The service talks SQL through the DataSource (guarded updates, upserts,
 * advisory locks are plainer in SQL than through entities), so no entity classes are registered.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: OrdersConfig) => ({
        type: 'postgres' as const,
        url: config.DATABASE_URL,
        entities: [],
        migrations: MIGRATIONS,
        synchronize: false,
        migrationsRun: false,
        extra: { max: config.DATABASE_POOL_SIZE, connectionTimeoutMillis: 5000 },
        retryAttempts: 2,
        retryDelay: 1000,
        logging: false,
      }),
    }),
  ],
  providers: [MigrationsRunner],
})
export class DatabaseModule {}
