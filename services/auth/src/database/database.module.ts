import { APP_CONFIG } from '@commerce/nest-kit';
import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { runMigrationsLocked } from '@commerce/persistence';
import type { AuthConfig } from '../config';
import { MIGRATIONS } from '../migrations';
import { RefreshFamilyEntity, RefreshTokenEntity } from '../sessions/sessions.entity';
import { UserEntity } from '../users/users.entity';

export const ENTITIES = [UserEntity, RefreshFamilyEntity, RefreshTokenEntity];

// Any constant works; it only has to be the same for every instance of this service.
const MIGRATION_LOCK = 7_245_310_001;

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

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AuthConfig) => ({
        type: 'postgres' as const,
        url: config.DATABASE_URL,
        entities: ENTITIES,
        migrations: MIGRATIONS,
        synchronize: false,
        migrationsRun: false,
        extra: { max: config.DATABASE_POOL_SIZE, connectionTimeoutMillis: 5000 },
        // Fail start-up quickly with the driver's message instead of retrying for half a minute.
        retryAttempts: 2,
        retryDelay: 1000,
        logging: false,
      }),
    }),
  ],
  providers: [MigrationsRunner],
})
export class DatabaseModule {}
