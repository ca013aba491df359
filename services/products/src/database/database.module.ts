import { PostgresModule, type PostgresConfig, postgresOptions } from '@commerce/persistence';
import { Global, Module } from '@nestjs/common';
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../migrations';
import { Sql } from './sql.service';

/** Advisory-lock key of this service's migrations (the app and the seed command take turns). */
export const MIGRATION_LOCK = 7_245_310_002;

/** TypeORM options for this service's database (the seed command uses them too). */
export function dataSourceOptions(config: PostgresConfig): DataSourceOptions {
  return postgresOptions(config, { migrations: MIGRATIONS });
}

/** The products database (commerce_products), migrated at start, and its SQL helper. */
@Global()
@Module({
  imports: [PostgresModule.forRoot({ migrations: MIGRATIONS, migrationLock: MIGRATION_LOCK })],
  providers: [Sql],
  exports: [Sql],
})
export class DatabaseModule {}
