import { Role } from '@commerce/contracts';
import { ErrorResponseDto, Roles } from '@commerce/nest-kit';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AdminNotificationsQueryDto, NotificationPageDto } from './notifications.dto';
import { NotificationsService } from './notifications.service';

/** What was sent to whom, for operators (the console's order page lists an order's). */
@ApiTags('admin')
@Roles(Role.ADMIN, Role.SUPER_ADMIN)
@ApiResponse({ status: 400, type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
@Controller('admin/notifications')
export class AdminNotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({
    summary: 'Anyone’s notifications, newest first: by order, recipient, address or status',
  })
  @ApiOkResponse({ type: NotificationPageDto })
  list(@Query() query: AdminNotificationsQueryDto): Promise<NotificationPageDto> {
    return this.notifications.listForOperators({
      orderId: query.orderId,
      userId: query.userId,
      to: query.to,
      status: query.status,
      page: query.page,
      limit: query.limit,
    });
  }
}
