import { Module } from '@nestjs/common';
import { CatalogSeeder } from './catalog-seeder';
import { CatalogService } from './catalog.service';
import { ProductViews, productsAnalyticsPublisher } from './product-views';
import { CategoriesController } from './categories.controller';
import { ProductsController } from './products.controller';

@Module({
  controllers: [ProductsController, CategoriesController],
  providers: [CatalogService, CatalogSeeder, ProductViews, productsAnalyticsPublisher],
})
export class CatalogModule {}
