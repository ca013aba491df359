import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `?from=&to=&top=` of the summary; days are UTC and both ends are included. */
export class SummaryQueryDto {
  @ApiPropertyOptional({
    description: 'First day (UTC), YYYY-MM-DD; default: 29 days before `to`',
    example: '2026-01-01',
  })
  @IsOptional()
  @Matches(DAY, { message: 'from must be a date as YYYY-MM-DD' })
  readonly from?: string;

  @ApiPropertyOptional({
    description: 'Last day (UTC), YYYY-MM-DD, included; default: today',
    example: '2026-01-30',
  })
  @IsOptional()
  @Matches(DAY, { message: 'to must be a date as YYYY-MM-DD' })
  readonly to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 10, description: 'Top-list length' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  readonly top: number = 10;
}

class StatusCountsDto {
  @ApiProperty() COMPLETED!: number;
  @ApiProperty() CANCELLED!: number;
  @ApiProperty() FAILED!: number;
}

class DayStatusCountsDto extends StatusCountsDto {
  @ApiProperty({ example: '2026-01-02' }) day!: string;
}

class OrdersSummaryDto {
  @ApiProperty() total!: number;
  @ApiProperty({ type: StatusCountsDto }) byStatus!: StatusCountsDto;
  @ApiProperty({ type: [DayStatusCountsDto], description: 'Days with at least one order' })
  byDay!: DayStatusCountsDto[];
}

class RevenueDto {
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({ description: 'Minor units, completed orders' }) amount!: number;
  @ApiProperty({ description: 'Completed orders' }) orders!: number;
}

class DayRevenueDto {
  @ApiProperty({ example: '2026-01-02' }) day!: string;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({ description: 'Minor units' }) amount!: number;
}

class TopProductDto {
  @ApiProperty() productId!: string;
  @ApiProperty() units!: number;
  @ApiProperty({ description: 'Minor units' }) revenue!: number;
  @ApiProperty({ example: 'EUR' }) currency!: string;
}

class FunnelDto {
  @ApiProperty({ description: 'Carts created' }) carts!: number;
  @ApiProperty({ description: 'Checkouts started' }) checkouts!: number;
  @ApiProperty({ description: 'Orders completed (paid)' }) paid!: number;
}

class ViewedProductDto {
  @ApiProperty() productId!: string;
  @ApiProperty() views!: number;
}

class ProductViewsDto {
  @ApiProperty() total!: number;
  @ApiProperty({ type: [ViewedProductDto] }) top!: ViewedProductDto[];
}

export class AnalyticsSummaryDto {
  @ApiProperty({ example: '2026-01-01' }) from!: string;
  @ApiProperty({ example: '2026-01-30' }) to!: string;
  @ApiProperty({ type: OrdersSummaryDto }) orders!: OrdersSummaryDto;
  @ApiProperty({ type: [RevenueDto] }) revenue!: RevenueDto[];
  @ApiProperty({ type: [DayRevenueDto] }) revenueByDay!: DayRevenueDto[];
  @ApiProperty({ type: [TopProductDto], description: 'By units, then revenue' })
  topProducts!: TopProductDto[];
  @ApiProperty({ type: FunnelDto }) funnel!: FunnelDto;
  @ApiProperty({ type: ProductViewsDto }) productViews!: ProductViewsDto;
}
