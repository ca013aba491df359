import { Module } from '@nestjs/common';
import { PaymentsModule } from '../payments/payments.module';
import { WebhookRawBodyCapture } from './raw-body';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

@Module({
  imports: [PaymentsModule],
  controllers: [WebhooksController],
  providers: [WebhooksService, WebhookRawBodyCapture],
})
export class WebhooksModule {}
