import { type AuthUser, USER_ROLES } from '@commerce/contracts';
import { CurrentUser, ErrorResponseDto, Roles } from '@commerce/nest-kit';
import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { OrderDto, OrderIdParamDto, OrderPageDto, OrdersQueryDto } from './orders.dto';
import { OrdersService } from './orders.service';

@ApiTags('orders')
// People only: service accounts have no cart and no orders of their own.
@Roles(...USER_ROLES)
@ApiResponse({ status: 400, type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get()
  @ApiOperation({ summary: 'My orders, newest first' })
  @ApiOkResponse({ type: OrderPageDto })
  list(@CurrentUser() user: AuthUser, @Query() query: OrdersQueryDto): Promise<OrderPageDto> {
    return this.orders.list(user.id, query.page, query.limit);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One order with its items, totals and timeline (owner, ADMIN or SUPER_ADMIN)',
  })
  @ApiOkResponse({ type: OrderDto })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: "Unknown, or another customer's (NOT_FOUND either way)",
  })
  get(@CurrentUser() user: AuthUser, @Param() params: OrderIdParamDto): Promise<OrderDto> {
    return this.orders.findForCaller(params.id, user);
  }
}
