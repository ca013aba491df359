import { type AuthUser, USER_ROLES } from '@commerce/contracts';
import { AppError, CurrentUser, ErrorCode, ErrorResponseDto, Roles } from '@commerce/nest-kit';
import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { RequestId } from '../common/request-id.decorator';
import { CheckoutDto, CheckoutResponseDto, IDEMPOTENCY_KEY } from './checkout.dto';
import { CheckoutService } from './checkout.service';

const missingKey = () =>
  new AppError({
    status: 400,
    code: ErrorCode.VALIDATION_FAILED,
    message:
      'Validation failed: Idempotency-Key header is required: 1 to 128 letters, digits, ".", "_", ":" or "-"',
    details: [
      {
        field: 'Idempotency-Key',
        constraints: ['Idempotency-Key must be 1 to 128 letters, digits, ".", "_", ":" or "-"'],
      },
    ],
  });

@ApiTags('checkout')
@Controller('checkout')
@Roles(...USER_ROLES)
export class CheckoutController {
  constructor(private readonly checkout: CheckoutService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Check out the cart: an order, and its checkout workflow started',
    description:
      'The Idempotency-Key names this attempt: a repeat (even concurrent) returns the same order ' +
      'with 200 and never starts a second checkout or charge. Follow the order with GET /orders/:id.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: true, example: 'c0a8012e-checkout-1' })
  @ApiAcceptedResponse({ type: CheckoutResponseDto, description: 'Order placed, checkout running' })
  @ApiOkResponse({ type: CheckoutResponseDto, description: 'Repeat of an earlier checkout' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
  @ApiUnprocessableEntityResponse({
    type: ErrorResponseDto,
    description: 'CART_EMPTY, PRODUCT_UNAVAILABLE, CURRENCY_MISMATCH',
  })
  @ApiServiceUnavailableResponse({
    type: ErrorResponseDto,
    description: 'CHECKOUT_UNAVAILABLE: the order is kept and its checkout started later',
  })
  async submit(
    @CurrentUser() user: AuthUser,
    @Body() body: CheckoutDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: { status(code: number): unknown },
    @RequestId() requestId?: string,
  ): Promise<CheckoutResponseDto> {
    if (typeof idempotencyKey !== 'string' || !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw missingKey();
    }
    const { order, created } = await this.checkout.checkout(user, body, idempotencyKey, requestId);
    if (!created) reply.status(200);
    return { orderId: order.id, status: order.status };
  }
}
