import { ServiceClient } from '@commerce/contracts';
import { ErrorResponseDto, ServiceClients } from '@commerce/nest-kit';
import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ChargeDto, OrderIdParamDto, PaymentDto, RefundDto, RefundResultDto } from './payments.dto';
import { PaymentsService } from './payments.service';

/** The part of Fastify's reply this controller touches (the status of a repeat). */
interface StatusReply {
  status(code: number): unknown;
}

/**
 * Backend-only routes (never proxied by the gateway) for the checkout activities, with SERVICE
 * tokens. Charges are idempotent per order, refunds per idempotency key.
 */
@ApiTags('internal')
@Controller('internal/payments')
@ServiceClients(ServiceClient.activities)
@ApiResponse({ status: 400, type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
export class InternalPaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Post('charges')
  @ApiOperation({
    summary: 'Charge an order (idempotent per orderId; the provider key is charge-<orderId>)',
    description:
      'A decline is not an error: the payment is answered FAILED with failureCode CARD_DECLINED.',
  })
  @ApiCreatedResponse({ type: PaymentDto, description: 'This call settled the payment' })
  @ApiOkResponse({ type: PaymentDto, description: 'A repeat: the first result' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'CHARGE_MISMATCH' })
  @ApiServiceUnavailableResponse({
    type: ErrorResponseDto,
    description: 'PAYMENT_PROVIDER_UNAVAILABLE (retryable with the same request)',
  })
  async charge(
    @Body() body: ChargeDto,
    @Res({ passthrough: true }) reply: StatusReply,
  ): Promise<PaymentDto> {
    const { payment, created } = await this.payments.charge(body);
    if (!created) reply.status(200);
    return payment;
  }

  @Post('refunds')
  @ApiOperation({
    summary: 'Refund (or void) an order’s payment (idempotent per idempotencyKey)',
    description:
      'Default amount: everything captured and not refunded yet. A payment never captured is ' +
      'cancelled at the provider and marked FAILED/CANCELLED (amount 0); a failed one refunds 0.',
  })
  @ApiCreatedResponse({ type: RefundResultDto, description: 'Refunded (or voided) now' })
  @ApiOkResponse({ type: RefundResultDto, description: 'A repeat: the first result' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'PAYMENT_NOT_FOUND' })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'REFUND_EXCEEDS_CAPTURED, IDEMPOTENCY_KEY_REUSED',
  })
  @ApiServiceUnavailableResponse({
    type: ErrorResponseDto,
    description: 'PAYMENT_PROVIDER_UNAVAILABLE (retryable with the same key)',
  })
  async refund(
    @Body() body: RefundDto,
    @Res({ passthrough: true }) reply: StatusReply,
  ): Promise<RefundResultDto> {
    const { refund, created } = await this.payments.refund(body);
    if (!created) reply.status(200);
    return refund;
  }

  @Post('by-order/:orderId/capture')
  @ApiOperation({
    summary: 'Capture the order’s authorised payment (idempotent; provider key capture-<orderId>)',
  })
  @ApiCreatedResponse({ type: PaymentDto, description: 'Captured now' })
  @ApiOkResponse({ type: PaymentDto, description: 'Captured already (or refunded since)' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'PAYMENT_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'PAYMENT_NOT_CAPTURABLE' })
  @ApiServiceUnavailableResponse({
    type: ErrorResponseDto,
    description: 'PAYMENT_PROVIDER_UNAVAILABLE (retryable)',
  })
  async capture(
    @Param() params: OrderIdParamDto,
    @Res({ passthrough: true }) reply: StatusReply,
  ): Promise<PaymentDto> {
    const { payment, created } = await this.payments.capture(params.orderId);
    if (!created) reply.status(200);
    return payment;
  }

  @Get('by-order/:orderId')
  @ApiOperation({ summary: 'The order’s payment' })
  @ApiOkResponse({ type: PaymentDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'PAYMENT_NOT_FOUND' })
  byOrder(@Param() params: OrderIdParamDto): Promise<PaymentDto> {
    return this.payments.getByOrder(params.orderId);
  }
}
