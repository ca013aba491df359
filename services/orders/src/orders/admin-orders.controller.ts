import { type AuthUser, Role, isTerminalOrderStatus } from '@commerce/contracts';
import { AppError, CurrentUser, ErrorResponseDto, InjectConfig, Roles } from '@commerce/nest-kit';
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
import type { OrdersConfig } from '../config';
import {
  AdminOrderPageDto,
  AdminOrdersQueryDto,
  DecidedOrderDto,
  OrderDto,
  OrderIdParamDto,
  ReasonDto,
} from './orders.dto';
import { OrdersService } from './orders.service';

const notAwaitingApproval = (id: string, status: string) =>
  new AppError({
    status: 409,
    code: 'ORDER_NOT_AWAITING_APPROVAL',
    message: `Order ${id} is ${status}, not AWAITING_APPROVAL`,
    details: [{ orderId: id, currentStatus: status }],
  });

/** The workflow records the operator by id (every action is); the email is for people to read. */
const operator = (admin: AuthUser) => ({
  by: admin.id,
  ...(admin.email ? { byEmail: admin.email } : {}),
});

/**
 * Operators' decisions on large orders, sent to the checkout as Temporal Updates: a 2xx means the
 * workflow holds the decision (even when the order is still on its way into review); a 409 says
 * why it cannot be taken, with the checkout's status; a 503 means nothing was recorded, retry.
 */
@ApiTags('admin')
@Controller('admin/orders')
@Roles(Role.ADMIN, Role.SUPER_ADMIN)
@ApiResponse({ status: 400, type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
export class AdminOrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly checkout: CheckoutClient,
    @InjectConfig() private readonly config: OrdersConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Every customer’s orders: by status, customer email or id; newest or oldest first',
    description:
      'The review queue is `?status=AWAITING_APPROVAL&sort=oldest`; each order in review says ' +
      'when its review times out (`reviewDeadline`).',
  })
  @ApiOkResponse({ type: AdminOrderPageDto })
  list(@Query() query: AdminOrdersQueryDto): Promise<AdminOrderPageDto> {
    return this.orders.search({
      status: query.status,
      email: query.email,
      customerId: query.customerId,
      id: query.id,
      sort: query.sort,
      page: query.page,
      limit: query.limit,
      reviewTimeoutMs: this.config.CHECKOUT_REVIEW_TIMEOUT_MS,
    });
  }

  @Post(':id/approve')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Approve an order in (or on its way into) review; answered once the checkout holds it',
  })
  @ApiAcceptedResponse({
    type: DecidedOrderDto,
    description: 'The order and, in `decision`, the workflow’s own answer (its Update result)',
  })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'ORDER_NOT_AWAITING_APPROVAL' })
  async approve(
    @CurrentUser() admin: AuthUser,
    @Param() params: OrderIdParamDto,
  ): Promise<DecidedOrderDto> {
    const order = await this.undecided(params.id);
    const decision = await this.checkout.approve(order.id, operator(admin));
    return { ...order, decision };
  }

  @Post(':id/reject')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Reject an order in (or on its way into) review; its payment is voided, stock released',
  })
  @ApiAcceptedResponse({
    type: DecidedOrderDto,
    description: 'The order and, in `decision`, the workflow’s own answer (its Update result)',
  })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'ORDER_NOT_AWAITING_APPROVAL' })
  async reject(
    @CurrentUser() admin: AuthUser,
    @Param() params: OrderIdParamDto,
    @Body() body: ReasonDto,
  ): Promise<DecidedOrderDto> {
    const order = await this.undecided(params.id);
    const decision = await this.checkout.reject(order.id, {
      ...operator(admin),
      reason: body.reason,
    });
    return { ...order, decision };
  }

  /**
   * The order, unless it has ended already (a quick 409 without asking Temporal). Whether a live
   * checkout can take the decision is the workflow's to say (its Update validator), not the
   * stored status, which lags behind the workflow.
   */
  private async undecided(id: string): Promise<OrderDto> {
    const order = await this.orders.get(id);
    if (isTerminalOrderStatus(order.status)) throw notAwaitingApproval(order.id, order.status);
    return order;
  }
}
