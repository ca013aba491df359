import { type AuthUser, USER_ROLES } from '@commerce/contracts';
import { CurrentUser, ErrorResponseDto, Roles } from '@commerce/nest-kit';
import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  NotificationDto,
  NotificationIdParamDto,
  NotificationPageDto,
  NotificationsQueryDto,
} from './notifications.dto';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
// People only: a service account has no notifications of its own.
@Roles(...USER_ROLES)
@ApiResponse({ status: 400, type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ summary: 'My notifications (every channel), newest first' })
  @ApiOkResponse({ type: NotificationPageDto })
  list(
    @CurrentUser() user: AuthUser,
    @Query() query: NotificationsQueryDto,
  ): Promise<NotificationPageDto> {
    return this.notifications.listForUser(user.id, query.page, query.limit);
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark one of my notifications as read (repeats keep the first time)' })
  @ApiOkResponse({ type: NotificationDto })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: "Unknown, or someone else's (NOT_FOUND either way)",
  })
  markRead(
    @CurrentUser() user: AuthUser,
    @Param() params: NotificationIdParamDto,
  ): Promise<NotificationDto> {
    return this.notifications.markRead(user.id, params.id);
  }
}
