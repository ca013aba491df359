import { Global, Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module';
import { AdminCheckoutsController } from './admin-checkouts.controller';
import { CheckoutClient } from './checkout-client';
import { CheckoutController } from './checkout.controller';
import { CheckoutService } from './checkout.service';

/** Temporal's door, shared with the orders routes that signal and read a running checkout. */
@Global()
@Module({ providers: [CheckoutClient], exports: [CheckoutClient] })
export class CheckoutClientModule {}

@Module({
  imports: [OrdersModule],
  controllers: [CheckoutController, AdminCheckoutsController],
  providers: [CheckoutService],
  exports: [CheckoutService],
})
export class CheckoutModule {}
