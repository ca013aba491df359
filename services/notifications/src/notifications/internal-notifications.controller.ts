import { ServiceClient } from '@commerce/contracts';
import { ErrorResponseDto, ServiceClients } from '@commerce/nest-kit';
import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { NotificationDto, NotificationIdParamDto, SendNotificationDto } from './notifications.dto';
import { NotificationsService } from './notifications.service';

/** The part of Fastify's reply this controller touches (the status of a repeated send). */
interface StatusReply {
  status(code: number): unknown;
}

/**
 * Backend-only routes (never proxied by the gateway, see INTERNAL_PREFIX) for the checkout
 * activities and other services, with SERVICE tokens.
 */
@ApiTags('internal')
@Controller('internal/notifications')
@ServiceClients(ServiceClient.activities)
@ApiResponse({
  status: 400,
  type: ErrorResponseDto,
  description:
    'VALIDATION_FAILED: unknown channel or template, bad recipient, data the template cannot render',
})
export class InternalNotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Post()
  @ApiOperation({
    summary: 'Render, store and deliver a notification (idempotent per idempotencyKey)',
  })
  @ApiCreatedResponse({ type: NotificationDto, description: 'Stored and handed to its channel' })
  @ApiOkResponse({
    type: NotificationDto,
    description: 'Already sent with this key: the first notification, unchanged',
  })
  async send(
    @Body() body: SendNotificationDto,
    @Res({ passthrough: true }) reply: StatusReply,
  ): Promise<NotificationDto> {
    const { notification, created } = await this.notifications.send(body);
    if (!created) reply.status(200);
    return notification;
  }

  @Get(':id')
  @ApiOperation({ summary: 'Any notification, with its delivery status' })
  @ApiOkResponse({ type: NotificationDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(@Param() params: NotificationIdParamDto): Promise<NotificationDto> {
    return this.notifications.get(params.id);
  }
}
