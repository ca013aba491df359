import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { DecimalInt } from './decimal-int';

/**
 * `?page=&limit=` of every list endpoint (DESIGN §5: lists answer `{items, total, page, limit}`).
 * Extend it with the endpoint's own filters. Pages are bounded so an offset cannot run away.
 */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 10_000, default: 1 })
  @IsOptional()
  @DecimalInt()
  @IsInt()
  @Min(1)
  @Max(10_000)
  readonly page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @DecimalInt()
  @IsInt()
  @Min(1)
  @Max(100)
  readonly limit: number = 20;
}
