import { PostgresModule, type PostgresConfig, postgresOptions } from '@commerce/persistence';
import { Global, Module } from '@nestjs/common';
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../migrations';
import { Sql } from './sql.service';

/** Advisory-lock key of this service's migrations (the app and the seed command take turns). */
export const MIGRATION_LOCK = 7_245_310_002;

/** TypeORM options for this service's database (the seed command uses them too). */
/**
 * The search's prepared statements (`Sql.session` with `prepare`) are planned for each set of
 * values, never with a generic plan: which index walk or count is cheap depends on the words
 * searched. Preparing still saves their parse and analysis.
 *
 * No parallel workers: the service's statements read a page (a LIMIT over an index walk), and
 * a worker costs more to start than it saves. A broad one-word search ("kestrel", a brand in
 * ~2,700 names) got a parallel name walk: 20 ms instead of under 1 ms, its CPU taken from the
 * other connections.
 */
const SESSION_SETTINGS = {
  plan_cache_mode: 'force_custom_plan',
  max_parallel_workers_per_gather: '0',
} as const;

export function dataSourceOptions(config: PostgresConfig): DataSourceOptions {
  return postgresOptions(config, { migrations: MIGRATIONS, sessionSettings: SESSION_SETTINGS });
}

/** The products database (commerce_products), migrated at start, and its SQL helper. */
@Global()
@Module({
  imports: [
    PostgresModule.forRoot({
      migrations: MIGRATIONS,
      migrationLock: MIGRATION_LOCK,
      sessionSettings: SESSION_SETTINGS,
    }),
  ],
  providers: [Sql],
  exports: [Sql],
})
export class DatabaseModule {}
