import { Global, Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module';
import { AdminCheckoutsController } from './admin-checkouts.controller';
import { CheckoutClient } from './checkout-client';
import { CheckoutController } from './checkout.controller';
import { CheckoutService } from './checkout.service';
import { LiveCheckoutStatus } from './live-status';

/** Temporal's door, shared with the orders routes that signal and read a running checkout. */
@Global()
@Module({
  providers: [CheckoutClient, LiveCheckoutStatus],
  exports: [CheckoutClient, LiveCheckoutStatus],
})
export class CheckoutClientModule {}

@Module({
  imports: [OrdersModule],
  controllers: [CheckoutController, AdminCheckoutsController],
  providers: [CheckoutService],
  exports: [CheckoutService],
})
export class CheckoutModule {}
