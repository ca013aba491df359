import { type AuthUser, isTerminalOrderStatus, USER_ROLES } from '@commerce/contracts';
import { AppError, CurrentUser, ErrorResponseDto, Roles } from '@commerce/nest-kit';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CheckoutClient } from '../checkout/checkout-client';
import { LiveCheckoutStatus } from '../checkout/live-status';
import {
  OptionalReasonDto,
  OrderDto,
  OrderIdParamDto,
  OrderPageDto,
  OrdersQueryDto,
  OrderWaitQueryDto,
} from './orders.dto';
import { OrderChanges } from './order-changes';
import { OrdersService } from './orders.service';

export const notCancellable = (id: string, status: string) =>
  new AppError({
    status: 409,
    code: 'ORDER_NOT_CANCELLABLE',
    message: `Order ${id} is ${status} and can no longer be cancelled`,
  });

@ApiTags('orders')
// People only: service accounts have no cart and no orders of their own.
@Roles(...USER_ROLES)
@ApiResponse({ status: 400, type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly checkout: CheckoutClient,
    private readonly liveStatus: LiveCheckoutStatus,
    private readonly changes: OrderChanges,
  ) {}

  @Get()
  @ApiOperation({ summary: 'My orders, newest first' })
  @ApiOkResponse({ type: OrderPageDto })
  list(@CurrentUser() user: AuthUser, @Query() query: OrdersQueryDto): Promise<OrderPageDto> {
    return this.orders.list(user.id, query.page, query.limit);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One order with its items, totals and timeline (owner, ADMIN or SUPER_ADMIN)',
    description:
      'While its checkout runs, `checkout` shows the workflow’s live step and timeline. With ' +
      '`waitWhile`, a long poll: the answer waits (a few seconds at most) until the stored status ' +
      'is no longer that one.',
  })
  @ApiOkResponse({ type: OrderDto })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: "Unknown, or another customer's (NOT_FOUND either way)",
  })
  async get(
    @CurrentUser() user: AuthUser,
    @Param() params: OrderIdParamDto,
    @Query() query: OrderWaitQueryDto,
  ): Promise<OrderDto> {
    let order = await this.orders.findForCaller(params.id, user);
    if (query.waitWhile !== undefined && order.status === query.waitWhile) {
      // Owner checked above; wait for a move, then read the order again as it is now.
      await this.changes.waitWhile(order.id, order.status);
      order = await this.orders.findForCaller(order.id, user);
    }
    if (isTerminalOrderStatus(order.status)) return order;
    const live = await this.liveStatus.of(order);
    if (!live) return order;
    const { status, step, timeline, failureReason } = live;
    return {
      ...order,
      checkout: { status, step, timeline, ...(failureReason ? { failureReason } : {}) },
    };
  }

  @Post(':id/cancel')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Ask the checkout to cancel the order (honoured until it is confirmed)',
    description:
      'Stock and money already taken are given back by the checkout. Follow GET /orders/:id.',
  })
  @ApiAcceptedResponse({ type: OrderDto, description: 'Cancellation requested' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'ORDER_NOT_CANCELLABLE' })
  async cancel(
    @CurrentUser() user: AuthUser,
    @Param() params: OrderIdParamDto,
    @Body() body: OptionalReasonDto,
  ): Promise<OrderDto> {
    const order = await this.orders.findForCaller(params.id, user);
    if (isTerminalOrderStatus(order.status)) throw notCancellable(order.id, order.status);
    try {
      await this.checkout.cancel(order.id, {
        reason: body.reason ?? 'cancelled by the customer',
        by: user.id,
      });
    } catch (error) {
      // Its checkout finished between our read and the signal: report what it ended as.
      const now = await this.orders.get(order.id);
      if (isTerminalOrderStatus(now.status)) throw notCancellable(now.id, now.status);
      throw error;
    }
    return order;
  }
}
