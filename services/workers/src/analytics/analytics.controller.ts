import { ANALYTICS_EVENT_TYPES, Role, ServiceClient } from '@commerce/contracts';
import { AnalyticsPublisher } from '@commerce/analytics-publisher';
import {
  AppError,
  ErrorResponseDto,
  InjectConfig,
  Roles,
  ServiceClients,
} from '@commerce/nest-kit';
import { Body, Controller, Get, HttpCode, Logger, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { WorkersConfig } from '../config';
import { requireAnalyticsEvent } from './analytics-event.schema';
import { AnalyticsSummaryDto, EventAcceptedDto, SummaryQueryDto } from './analytics.dto';
import { AnalyticsStore } from './analytics.store';
import { resolveRange } from './summary-range';

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

/** The read model for operators. */
@ApiTags('admin')
@Controller('admin/analytics')
@Roles(Role.ADMIN, Role.SUPER_ADMIN)
export class AdminAnalyticsController {
  constructor(
    private readonly store: AnalyticsStore,
    @InjectConfig() private readonly config: WorkersConfig,
  ) {}

  @Get('summary')
  @ApiOperation({
    summary: 'Orders, revenue, top products, funnel and product views over a range of UTC days',
    description:
      'Both ends are included; `to` defaults to today and `from` to 29 days before `to`. The ' +
      'range may cover at most ANALYTICS_MAX_RANGE_DAYS days (366 by default).',
  })
  @ApiOkResponse({ type: AnalyticsSummaryDto })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'VALIDATION_FAILED (bad day, from after to, range too long, top out of 1..100)',
  })
  summary(@Query() query: SummaryQueryDto): Promise<AnalyticsSummaryDto> {
    const range = resolveRange(query, this.config.ANALYTICS_MAX_RANGE_DAYS);
    return this.store.summary({ ...range, top: query.top });
  }
}
