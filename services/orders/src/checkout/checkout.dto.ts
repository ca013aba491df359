import { OrderStatus, ORDER_STATUSES, type CheckoutResponse } from '@commerce/contracts';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsNotEmpty, IsObject, IsString, MaxLength, ValidateNested } from 'class-validator';
import { ShippingAddressDto } from '../orders/orders.dto';

/** Public `POST /checkout` body; the `Idempotency-Key` header names the attempt. */
export class CheckoutDto {
  @ApiProperty({ example: 'pm_card_visa', maxLength: 128 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  readonly paymentMethodId!: string;

  @ApiProperty({ type: ShippingAddressDto })
  @IsObject({ message: 'shippingAddress must be an object' })
  @ValidateNested()
  @Type(() => ShippingAddressDto)
  readonly shippingAddress!: ShippingAddressDto;
}

export class CheckoutResponseDto implements CheckoutResponse {
  @ApiProperty({ format: 'uuid' }) readonly orderId!: string;
  @ApiProperty({ enum: ORDER_STATUSES, example: OrderStatus.PENDING })
  readonly status!: OrderStatus;
}

/** Same pattern as the internal create route's idempotencyKey. */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;
