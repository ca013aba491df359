import { APP_CONFIG, type CreateAppOptions, KitAuthModule } from '@commerce/nest-kit';
import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogModule } from './catalog/catalog.module';
import type { ProductsConfig } from './config';
import { DatabaseModule } from './database/database.module';
import { InventoryModule } from './inventory/inventory.module';

/** The products service: catalog, search, inventory and reservations. */
@Module({
  imports: [
    DatabaseModule,
    KitAuthModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: ProductsConfig) => ({
        jwksUrl: config.AUTH_JWKS_URL,
        redisUrl: config.REDIS_URL,
      }),
    }),
    CatalogModule,
    InventoryModule,
  ],
})
export class AppModule {}

/** What the products service adds to the kit; main.ts and the tests share it. */
export function productsAppOptions(_config: ProductsConfig): Omit<CreateAppOptions, 'config'> {
  return {
    health: {
      indicators: [
        {
          name: 'postgres',
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => () => dataSource.query('select 1'),
        },
      ],
    },
    openApi: {
      title: 'Products service',
      description: 'Catalog, categories, search, inventory and order reservations.',
      version: '0.1.0',
    },
  };
}
