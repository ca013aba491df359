import { APP_CONFIG } from '@commerce/nest-kit';
import { Global, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { ProductsConfig } from '../config';
import { MIGRATIONS } from '../migrations';
import { runMigrationsLocked } from './migrate';
import { Sql } from './sql.service';

/** TypeORM options for this service's database (the app and the seed command share them). */
export function dataSourceOptions(url: string, poolSize: number): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [],
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    extra: { max: poolSize, connectionTimeoutMillis: 5000 },
    logging: false,
  };
}

/** Runs pending migrations before the app serves anything. */
@Injectable()
export class MigrationsRunner implements OnModuleInit {
  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): Promise<void> {
    return runMigrationsLocked(this.dataSource);
  }
}

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: ProductsConfig) => ({
        ...dataSourceOptions(config.DATABASE_URL, config.DATABASE_POOL_SIZE),
        // Fail start-up quickly with the driver's message instead of retrying for half a minute.
        retryAttempts: 2,
        retryDelay: 1000,
      }),
    }),
  ],
  providers: [MigrationsRunner, Sql],
  exports: [Sql],
})
export class DatabaseModule {}
