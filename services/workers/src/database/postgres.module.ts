import { PostgresModule } from '@commerce/persistence';
import { Module } from '@nestjs/common';
import { MIGRATIONS } from '../migrations';

/** Advisory-lock key of the workers' migrations (instances starting together take turns). */
export const MIGRATION_LOCK = 7_245_310_006;

/**
 * The workers' PostgreSQL database (DATABASE_URL, commerce_analytics by default), migrated at
 * start. TypeORM's DataSource is global, so any queue module can inject it.
 */
@Module({
  imports: [PostgresModule.forRoot({ migrations: MIGRATIONS, migrationLock: MIGRATION_LOCK })],
})
export class WorkersPostgresModule {}
