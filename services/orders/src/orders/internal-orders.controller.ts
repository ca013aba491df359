import { type AuthUser, OrderStatus, ServiceClient } from '@commerce/contracts';
import { CheckoutClient } from '../checkout/checkout-client';
import { CurrentUser, ErrorResponseDto, ServiceClients } from '@commerce/nest-kit';
import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import {
  CreateOrderDto,
  OptionalReasonDto,
  PaymentEventDto,
  OrderDto,
  OrderIdParamDto,
  OrderStatusesDto,
  OrderStatusesQueryDto,
  ReasonDto,
  TransitionDto,
} from './orders.dto';
import { OrdersService } from './orders.service';
import { RequestId } from '../common/request-id.decorator';

/** The part of Fastify's reply this controller touches (the status of a duplicate create). */
interface StatusReply {
  status(code: number): unknown;
}

/**
 * Backend-only routes (never proxied by the gateway, see INTERNAL_PREFIX) for the checkout
 * activities, with SERVICE tokens. Every move is idempotent: repeating one that already happened
 * answers 200 with the order and writes nothing.
 */
@ApiTags('internal')
@Controller('internal/orders')
@ApiResponse({ status: 400, type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
export class InternalOrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly checkout: CheckoutClient,
  ) {}

  @Post(':id/payment-events')
  @ServiceClients(ServiceClient.payments)
  @HttpCode(200)
  @ApiOperation({
    summary: 'A payment settled by the provider (webhook): wakes the checkout waiting for it',
    description:
      'Sent by the payments service. A checkout that is no longer waiting ignores it; a checkout ' +
      'that is not running answers 409 CHECKOUT_NOT_RUNNING, which the sender may treat as done.',
  })
  @ApiOkResponse({ description: 'Signalled' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'CHECKOUT_NOT_RUNNING' })
  async paymentEvent(
    @Param() params: OrderIdParamDto,
    @Body() body: PaymentEventDto,
  ): Promise<{ delivered: true }> {
    await this.checkout.paymentConfirmed(params.id, {
      paymentId: body.paymentId,
      succeeded: body.type === 'payment.confirmed',
    });
    return { delivered: true };
  }

  @Post()
  @ServiceClients(ServiceClient.activities)
  @ApiOperation({
    summary: 'Create a PENDING order from the customer’s cart (idempotent per idempotencyKey)',
  })
  @ApiCreatedResponse({ type: OrderDto, description: 'Created' })
  @ApiOkResponse({ type: OrderDto, description: 'Already created with this key: the same order' })
  @ApiUnprocessableEntityResponse({
    type: ErrorResponseDto,
    description: 'CART_EMPTY, PRODUCT_UNAVAILABLE, CURRENCY_MISMATCH',
  })
  async create(
    @Body() body: CreateOrderDto,
    @Res({ passthrough: true }) reply: StatusReply,
    @RequestId() requestId?: string,
  ): Promise<OrderDto> {
    const { order, created } = await this.orders.createFromCart(body.customerId, {
      shippingAddress: body.shippingAddress,
      paymentMethodId: body.paymentMethodId,
      idempotencyKey: body.idempotencyKey,
      requestId,
    });
    if (!created) reply.status(200);
    return order;
  }

  @Post('statuses')
  @ServiceClients(ServiceClient.products)
  @HttpCode(200)
  @ApiOperation({
    summary: 'The status of many orders in one call',
    description:
      "For the products service's reservation sweeper, which releases expired stock only of " +
      'orders that ended (or never existed). An id with no order is left out of the answer.',
  })
  @ApiOkResponse({ type: OrderStatusesDto })
  async statuses(@Body() body: OrderStatusesQueryDto): Promise<OrderStatusesDto> {
    return { items: await this.orders.statuses(body.ids) };
  }

  @Get(':id')
  @ServiceClients(ServiceClient.activities)
  @ApiOperation({ summary: 'Any order' })
  @ApiOkResponse({ type: OrderDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(@Param() params: OrderIdParamDto): Promise<OrderDto> {
    return this.orders.get(params.id);
  }

  @Post(':id/transition')
  @ServiceClients(ServiceClient.activities)
  @HttpCode(200)
  @ApiOperation({ summary: 'Move the order along the status machine (in-workflow steps)' })
  @ApiOkResponse({ type: OrderDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'ILLEGAL_TRANSITION' })
  async transition(
    @Param() params: OrderIdParamDto,
    @Body() body: TransitionDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<OrderDto> {
    const result = await this.orders.transition(params.id, body.to, {
      reason: body.reason,
      actor: body.actor ?? caller.id,
    });
    return result.order;
  }

  @Post(':id/confirm')
  @ServiceClients(ServiceClient.activities)
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm: CONFIRMING -> COMPLETED' })
  @ApiOkResponse({ type: OrderDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'ILLEGAL_TRANSITION' })
  async confirm(
    @Param() params: OrderIdParamDto,
    @Body() body: OptionalReasonDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<OrderDto> {
    const result = await this.orders.transition(params.id, OrderStatus.COMPLETED, {
      reason: body.reason ?? 'confirmed',
      actor: caller.id,
    });
    return result.order;
  }

  @Post(':id/fail')
  @ServiceClients(ServiceClient.activities)
  @HttpCode(200)
  @ApiOperation({ summary: 'Fail the order with a reason' })
  @ApiOkResponse({ type: OrderDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'ILLEGAL_TRANSITION' })
  async fail(
    @Param() params: OrderIdParamDto,
    @Body() body: ReasonDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<OrderDto> {
    const result = await this.orders.transition(params.id, OrderStatus.FAILED, {
      reason: body.reason,
      actor: caller.id,
    });
    return result.order;
  }

  @Post(':id/cancel')
  @ServiceClients(ServiceClient.activities)
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel the order with a reason (until it is COMPLETED)' })
  @ApiOkResponse({ type: OrderDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'ILLEGAL_TRANSITION' })
  async cancel(
    @Param() params: OrderIdParamDto,
    @Body() body: ReasonDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<OrderDto> {
    const result = await this.orders.transition(params.id, OrderStatus.CANCELLED, {
      reason: body.reason,
      actor: caller.id,
    });
    return result.order;
  }
}
