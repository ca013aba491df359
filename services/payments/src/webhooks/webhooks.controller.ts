import { ErrorResponseDto, Public } from '@commerce/nest-kit';
import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { WebhookOutcome } from './webhook-event.entity';
import type { WebhookRequest } from './raw-body';
import { type WebhookAck, WebhooksService } from './webhooks.service';

class WebhookAckDto implements WebhookAck {
  @ApiProperty({ enum: [true] }) readonly received!: true;
  @ApiProperty({ example: 'evt_1NG8Du2eZvKYlo2CUI79vXWy' }) readonly eventId!: string;
  @ApiProperty({ enum: ['APPLIED', 'NOOP', 'IGNORED'] }) readonly outcome!: WebhookOutcome;
  @ApiProperty() readonly duplicate!: boolean;
}

@ApiTags('payments')
@Controller('payments/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  /** Public (no token): the signature is the authentication. */
  @Public()
  @Post('stripe')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Stripe webhook (raw body, `stripe-signature` checked, each event id processed once)',
  })
  @ApiHeader({ name: 'stripe-signature', required: true })
  @ApiOkResponse({ type: WebhookAckDto })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'WEBHOOK_SIGNATURE_INVALID (missing, forged or stale); nothing is stored',
  })
  @ApiServiceUnavailableResponse({
    type: ErrorResponseDto,
    description: 'PAYMENT_EVENT_UNDELIVERED: processed, but the checkout was not told yet',
  })
  receive(
    @Req() request: WebhookRequest,
    @Headers('stripe-signature') signature: string | string[] | undefined,
  ): Promise<WebhookAck> {
    return this.webhooks.handle(
      request.webhookRawBody,
      typeof signature === 'string' ? signature : undefined,
    );
  }
}
