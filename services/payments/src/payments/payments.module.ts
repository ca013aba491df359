import { Module } from '@nestjs/common';
import { InvoicesModule } from '../invoices/invoices.module';
import { InternalPaymentsController } from './internal-payments.controller';
import { PaymentsController } from './payments.controller';
import { PaymentsService } from './payments.service';

@Module({
  imports: [InvoicesModule],
  controllers: [PaymentsController, InternalPaymentsController],
  providers: [PaymentsService],
  exports: [PaymentsService],
})
export class PaymentsModule {}
