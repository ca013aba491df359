import { Module } from '@nestjs/common';
import { ProductsModule } from '../products/products.module';
import { AdminOrdersController } from './admin-orders.controller';
import { InternalOrdersController } from './internal-orders.controller';
import { OrderChanges } from './order-changes';
import { OrdersController } from './orders.controller';
import { OrdersService } from './orders.service';

@Module({
  imports: [ProductsModule],
  controllers: [OrdersController, AdminOrdersController, InternalOrdersController],
  providers: [OrdersService, OrderChanges],
  exports: [OrdersService],
})
export class OrdersModule {}
