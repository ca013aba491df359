import { Role } from '@commerce/contracts';
import { ErrorResponseDto, InjectConfig, Roles } from '@commerce/nest-kit';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AnalyticsConfig } from '../config';
import { AnalyticsStore } from '../read-model/analytics.store';
import { resolveRange } from './summary-range';
import { AnalyticsSummaryDto, SummaryQueryDto } from './summary.dto';

/** The read model for operators. */
@ApiTags('admin')
@Controller('admin/analytics')
@Roles(Role.ADMIN, Role.SUPER_ADMIN)
export class AdminAnalyticsController {
  constructor(
    private readonly store: AnalyticsStore,
    @InjectConfig() private readonly config: AnalyticsConfig,
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
