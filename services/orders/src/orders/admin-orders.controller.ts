import { type AuthUser, OrderStatus, Role } from '@commerce/contracts';
import { AppError, CurrentUser, ErrorResponseDto, Roles } from '@commerce/nest-kit';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CheckoutClient } from '../checkout/checkout-client';
import { OrderDto, OrderIdParamDto, ReasonDto } from './orders.dto';
import { OrdersService } from './orders.service';

const notAwaitingApproval = (id: string, status: string) =>
  new AppError({
    status: 409,
    code: 'ORDER_NOT_AWAITING_APPROVAL',
    message: `Order ${id} is ${status}, not AWAITING_APPROVAL`,
  });

/** Operators' decisions on large orders, sent to the checkout as signals. */
@ApiTags('admin')
@Controller('admin/orders')
@Roles(Role.ADMIN, Role.SUPER_ADMIN)
@ApiResponse({ status: 400, type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
export class AdminOrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly checkout: CheckoutClient,
  ) {}

  @Post(':id/approve')
  @HttpCode(202)
  @ApiOperation({ summary: 'Approve an order waiting for review; the checkout charges it next' })
  @ApiAcceptedResponse({ type: OrderDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'ORDER_NOT_AWAITING_APPROVAL' })
  async approve(
    @CurrentUser() admin: AuthUser,
    @Param() params: OrderIdParamDto,
  ): Promise<OrderDto> {
    const order = await this.awaitingApproval(params.id);
    await this.checkout.approve(order.id, { by: admin.email ?? admin.id });
    return order;
  }

  @Post(':id/reject')
  @HttpCode(202)
  @ApiOperation({ summary: 'Reject an order waiting for review; its stock is released' })
  @ApiAcceptedResponse({ type: OrderDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'ORDER_NOT_AWAITING_APPROVAL' })
  async reject(
    @CurrentUser() admin: AuthUser,
    @Param() params: OrderIdParamDto,
    @Body() body: ReasonDto,
  ): Promise<OrderDto> {
    const order = await this.awaitingApproval(params.id);
    await this.checkout.reject(order.id, { by: admin.email ?? admin.id, reason: body.reason });
    return order;
  }

  private async awaitingApproval(id: string): Promise<OrderDto> {
    const order = await this.orders.get(id);
    if (order.status !== OrderStatus.AWAITING_APPROVAL) {
      throw notAwaitingApproval(order.id, order.status);
    }
    return order;
  }
}
