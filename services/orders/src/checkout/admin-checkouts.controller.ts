import { Role } from '@commerce/contracts';
import { ErrorResponseDto, InjectConfig, PageQueryDto, Roles } from '@commerce/nest-kit';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { OrdersConfig } from '../config';
import { FailedCheckoutPageDto } from '../orders/orders.dto';
import { OrdersService } from '../orders/orders.service';
import { CheckoutClient } from './checkout-client';

/**
 * Checkouts that need an operator because their workflow failed (docs/operations.md): the order
 * has ended, but the saga could not put stock or money back. Temporal knows these, not the order
 * table (the order says FAILED or CANCELLED like any other), so they are read from its visibility.
 */
@ApiTags('admin')
@Controller('admin/checkouts')
@Roles(Role.ADMIN, Role.SUPER_ADMIN)
@ApiResponse({ status: 400, type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
export class AdminCheckoutsController {
  constructor(
    private readonly checkout: CheckoutClient,
    private readonly orders: OrdersService,
    @InjectConfig() private readonly config: OrdersConfig,
  ) {}

  @Get('failed')
  @ApiOperation({
    summary: 'Checkouts whose workflow failed (e.g. compensation failed), newest first',
  })
  @ApiOkResponse({ type: FailedCheckoutPageDto })
  @ApiResponse({
    status: 503,
    type: ErrorResponseDto,
    description: 'TEMPORAL_UNAVAILABLE: Temporal did not answer',
  })
  async failed(@Query() query: PageQueryDto): Promise<FailedCheckoutPageDto> {
    const { runs, total } = await this.checkout.failedRuns(query.page, query.limit);
    const ids = runs.map((run) => run.orderId).filter((id) => UUID.test(id));
    const found =
      ids.length === 0
        ? []
        : (
            await this.orders.search({
              ids,
              sort: 'newest',
              page: 1,
              limit: ids.length,
              reviewTimeoutMs: this.config.CHECKOUT_REVIEW_TIMEOUT_MS,
            })
          ).items;
    const byId = new Map(found.map((order) => [order.id, order]));
    return {
      items: runs.map((run) => ({ ...run, order: byId.get(run.orderId) ?? null })),
      total,
      page: query.page,
      limit: query.limit,
    };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
