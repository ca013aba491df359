import { PostgresModule } from '@commerce/persistence';
import { Module } from '@nestjs/common';
import { MIGRATIONS } from '../migrations';

/**
 * Advisory-lock key of the analytics migrations (instances starting together take turns). The key
 * the workers process used when it owned this database, so a workers process of the previous
 * release starting next to this one still takes turns with it.
 */
export const MIGRATION_LOCK = 7_245_310_006;

/**
 * The analytics read model's PostgreSQL database (DATABASE_URL, commerce_analytics by default),
 * migrated at start by each entrypoint and by any host of the processor. TypeORM's DataSource is
 * global, so the store (and a host's health check) can inject it.
 */
@Module({
  imports: [PostgresModule.forRoot({ migrations: MIGRATIONS, migrationLock: MIGRATION_LOCK })],
})
export class AnalyticsPostgresModule {}
