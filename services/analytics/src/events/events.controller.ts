import { ANALYTICS_EVENT_TYPES, ServiceClient } from '@commerce/contracts';
import { AnalyticsPublisher } from '@commerce/analytics-publisher';
import { AppError, ErrorResponseDto, ServiceClients } from '@commerce/nest-kit';
import { Body, Controller, HttpCode, Logger, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { requireAnalyticsEvent } from './analytics-event.schema';
import { EventAcceptedDto } from './events.dto';

/**
 * Backend-only (never proxied by the gateway): producers that cannot reach Redis themselves, the
 * checkout activities, hand events over here. The event is validated and enqueued; the job id is
 * derived from the event id, so the same event posted again is the same job.
 */
@ApiTags('internal')
@Controller('internal/analytics')
@ServiceClients(ServiceClient.activities)
export class InternalAnalyticsController {
  private readonly logger = new Logger(InternalAnalyticsController.name);

  constructor(private readonly publisher: AnalyticsPublisher) {}

  @Post('events')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Enqueue one analytics event (SERVICE); idempotent per event id',
    description: `Event types: ${ANALYTICS_EVENT_TYPES.join(', ')} (see @commerce/contracts).`,
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['id', 'type', 'at'],
      properties: {
        id: { type: 'string', example: 'order.completed:0b0f5c1e-...' },
        type: { type: 'string', enum: [...ANALYTICS_EVENT_TYPES] },
        at: { type: 'string', format: 'date-time' },
      },
      additionalProperties: true,
    },
  })
  @ApiAcceptedResponse({ type: EventAcceptedDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: 'ANALYTICS_UNAVAILABLE' })
  async record(@Body() body: unknown): Promise<EventAcceptedDto> {
    const event = requireAnalyticsEvent(body);
    try {
      const jobId = await this.publisher.enqueue(event);
      return { id: event.id, jobId };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn(`analytics event ${event.id} not enqueued: ${message}`);
      throw new AppError({
        status: 503,
        code: 'ANALYTICS_UNAVAILABLE',
        message: 'The analytics queue cannot be reached; try again later',
        cause: error,
      });
    }
  }
}
