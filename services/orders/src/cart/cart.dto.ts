import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsUUID, Max, Min } from 'class-validator';

// A hard ceiling for the DTO; the configured MAX_QUANTITY_PER_ITEM (default 99) is checked by the
// service, with the same VALIDATION_FAILED answer naming `quantity`.
const QUANTITY_CEILING = 100_000;

export class AddCartItemDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  readonly productId!: string;

  @ApiProperty({ minimum: 1, example: 1, description: 'Added to the quantity already in the cart' })
  @IsInt()
  @Min(1)
  @Max(QUANTITY_CEILING)
  readonly quantity!: number;
}

export class UpdateCartItemDto {
  @ApiProperty({ minimum: 1, example: 2, description: 'The new quantity of the line' })
  @IsInt()
  @Min(1)
  @Max(QUANTITY_CEILING)
  readonly quantity!: number;
}

export class ProductIdParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  readonly productId!: string;
}

export class CartItemDto {
  @ApiProperty({ format: 'uuid' }) readonly productId!: string;
  @ApiProperty({ example: 2 }) readonly quantity!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 1999,
    description: 'Current price in minor units; null when the product is no longer available',
  })
  readonly unitPrice!: number | null;
  @ApiProperty({ type: String, nullable: true }) readonly name!: string | null;
  @ApiProperty({ type: String, nullable: true }) readonly sku!: string | null;
  @ApiProperty({ example: 3998, description: 'unitPrice x quantity (0 when unavailable)' })
  readonly lineTotal!: number;
  @ApiProperty({ example: 'EUR' }) readonly currency!: string;
  @ApiProperty({ description: 'false when the product was removed or deactivated since' })
  readonly available!: boolean;
}

export class CartDto {
  @ApiProperty({ type: [CartItemDto] }) readonly items!: CartItemDto[];
  @ApiProperty({ example: 3998, description: 'Minor units, over the available lines' })
  readonly total!: number;
  @ApiProperty({ type: String, nullable: true, example: 'EUR', description: 'null when empty' })
  readonly currency!: string | null;
}
