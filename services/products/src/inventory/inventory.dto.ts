import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  IsUUID,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

/** Largest quantity of one product in one order, and largest stock count. */
export const MAX_QUANTITY = 10_000;
export const MAX_ON_HAND = 1_000_000_000;
/** Longest hold a checkout may ask for (30 days). */
export const MAX_HOLD_SECONDS = 30 * 24 * 3600;
/** Shortest hold (a checkout's own `reservationHoldSeconds` in tests and the fault run). */
export const MIN_HOLD_SECONDS = 10;

export const RESERVATION_STATUSES = ['RESERVED', 'RELEASED', 'COMMITTED'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

export class ProductIdParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'productId must be a UUID' })
  readonly productId!: string;
}

export class OrderIdParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'orderId must be a UUID' })
  readonly orderId!: string;
}

export class SetStockDto {
  @ApiProperty({ minimum: 0, example: 50, description: 'Units physically in stock' })
  @IsInt()
  @Min(0)
  @Max(MAX_ON_HAND)
  readonly onHand!: number;
}

export class InventoryDto {
  @ApiProperty({ format: 'uuid' }) readonly productId!: string;
  @ApiProperty() readonly onHand!: number;
  @ApiProperty() readonly reserved!: number;
  @ApiProperty({ description: 'onHand - reserved, never below 0' }) readonly available!: number;
}

export class ReservationItemDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'productId must be a UUID' })
  readonly productId!: string;

  @ApiProperty({ minimum: 1, maximum: MAX_QUANTITY, example: 1 })
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY)
  readonly quantity!: number;
}

export class ReserveDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'orderId must be a UUID' })
  readonly orderId!: string;

  @ApiProperty({ type: [ReservationItemDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ReservationItemDto)
  readonly items!: ReservationItemDto[];

  @ApiPropertyOptional({
    minimum: MIN_HOLD_SECONDS,
    maximum: MAX_HOLD_SECONDS,
    description: 'Seconds the stock is held before the sweeper may reclaim it (default: TTL)',
  })
  @IsOptional()
  @IsInt()
  @Min(MIN_HOLD_SECONDS)
  @Max(MAX_HOLD_SECONDS)
  readonly holdSeconds?: number;
}

/** `POST /internal/inventory/reservations/:orderId/hold` */
export class HoldDto {
  @ApiProperty({ minimum: MIN_HOLD_SECONDS, maximum: MAX_HOLD_SECONDS })
  @IsInt()
  @Min(MIN_HOLD_SECONDS)
  @Max(MAX_HOLD_SECONDS)
  readonly holdSeconds!: number;
}

export class ReservationItemViewDto {
  @ApiProperty({ format: 'uuid' }) readonly productId!: string;
  @ApiProperty() readonly quantity!: number;
}

export class ReservationDto {
  @ApiProperty({ format: 'uuid' }) readonly orderId!: string;
  @ApiProperty({ enum: RESERVATION_STATUSES }) readonly status!: ReservationStatus;
  @ApiProperty({ type: String, format: 'date-time' }) readonly expiresAt!: Date;
  @ApiProperty({ type: [ReservationItemViewDto] }) readonly items!: ReservationItemViewDto[];
}

export class OutOfStockDetailDto {
  @ApiProperty({ format: 'uuid' }) readonly productId!: string;
  @ApiProperty() readonly requested!: number;
  @ApiProperty() readonly available!: number;
  @ApiProperty({ enum: ['INSUFFICIENT', 'NOT_FOUND', 'INACTIVE'] }) readonly reason!: string;
}
