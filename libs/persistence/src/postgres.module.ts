import { APP_CONFIG } from '@commerce/nest-kit';
import { type DynamicModule, Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions, type MixedList } from 'typeorm';
import { runMigrationsLocked } from './migrations';

/** What every service's config carries for its database. */
export interface PostgresConfig {
  readonly DATABASE_URL: string;
  readonly DATABASE_POOL_SIZE: number;
}

export interface PostgresModuleOptions {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type
  readonly migrations: MixedList<Function | string>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type
  readonly entities?: MixedList<Function | string>;
  /** Advisory-lock key of this service's migrations: any constant unique to the service. */
  readonly migrationLock: number;
  /**
   * Session settings of every connection, sent at connect (`-c name=value` startup options), so
   * they hold without a statement per checkout. Only user-settable ones (managed services
   * refuse the others).
   */
  readonly sessionSettings?: Readonly<Record<string, string>>;
}

/** TypeORM options for a service database; the app and one-off commands (seeds) share them. */
export function postgresOptions(
  config: PostgresConfig,
  options: Omit<PostgresModuleOptions, 'migrationLock'>,
): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.DATABASE_URL,
    entities: options.entities ?? [],
    migrations: options.migrations,
    // Migrations only, never `synchronize`; they run under the advisory lock below.
    synchronize: false,
    migrationsRun: false,
    extra: {
      max: config.DATABASE_POOL_SIZE,
      connectionTimeoutMillis: 5000,
      ...sessionOptions(options.sessionSettings),
    },
    logging: false,
  };
}

function sessionOptions(settings: Readonly<Record<string, string>> = {}): { options?: string } {
  const entries = Object.entries(settings);
  for (const [name, value] of entries) {
    // The startup packet splits options on spaces; a backslash would escape.
    if (!/^[a-z_.]+$/.test(name) || !/^[\w.-]+$/.test(value)) {
      throw new Error(`session setting ${name}=${value}: names and values are plain words`);
    }
  }
  return entries.length === 0
    ? {}
    : { options: entries.map(([name, value]) => `-c ${name}=${value}`).join(' ') };
}

const MIGRATION_LOCK = Symbol('MIGRATION_LOCK');

/** Runs pending migrations before the app serves anything. */
@Injectable()
class MigrationsRunner implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(MIGRATION_LOCK) private readonly lockKey: number,
  ) {}

  async onModuleInit(): Promise<void> {
    await runMigrationsLocked(this.dataSource, this.lockKey);
  }
}

/**
 * A service's PostgreSQL database: TypeORM on the config's DATABASE_URL, migrated at start.
 * Instances that start together take turns through the migration lock.
 */
@Module({})
export class PostgresModule {
  static forRoot(options: PostgresModuleOptions): DynamicModule {
    return {
      module: PostgresModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: PostgresConfig) => ({
            ...postgresOptions(config, options),
            // Fail start-up quickly with the driver's message instead of retrying for 30 s.
            retryAttempts: 2,
            retryDelay: 1000,
          }),
        }),
      ],
      providers: [{ provide: MIGRATION_LOCK, useValue: options.migrationLock }, MigrationsRunner],
    };
  }
}
