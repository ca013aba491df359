import { PageQueryDto, DecimalInt } from '@commerce/nest-kit';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  type ValidationOptions,
} from 'class-validator';
import { isCurrencyCode } from '@commerce/contracts';
import { PRODUCT_SORTS, type ProductSort } from './search-query';

/** Largest price accepted, in minor units (10 million in a two-decimal currency). */
export const MAX_PRICE = 1_000_000_000;

function IsCurrencyCode(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCurrencyCode',
      validator: {
        validate: (value: unknown) => isCurrencyCode(value),
        defaultMessage: () => '$property must be an upper-case ISO 4217 currency code such as USD',
      },
    },
    options,
  );
}

/** Attributes: a flat-ish JSON object of at most 4 KiB. */
function IsSmallObject(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isSmallObject',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          JSON.stringify(value).length <= 4096,
        defaultMessage: () => '$property must be a JSON object of at most 4096 characters',
      },
    },
    options,
  );
}

const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

export class ProductIdParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'id must be a UUID' })
  readonly id!: string;
}

export class ListProductsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: 'Search text (full text, websearch syntax, with typo tolerance); not blank',
    maxLength: 200,
  })
  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: 'q must not be empty' })
  @MaxLength(200)
  readonly q?: string;

  @ApiPropertyOptional({ description: 'Category id or slug' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  readonly category?: string;

  @ApiPropertyOptional({ minimum: 0, description: 'Minor units' })
  @IsOptional()
  @DecimalInt()
  @IsInt()
  @Min(0)
  @Max(MAX_PRICE)
  readonly minPrice?: number;

  @ApiPropertyOptional({ minimum: 0, description: 'Minor units' })
  @IsOptional()
  @DecimalInt()
  @IsInt()
  @Min(0)
  @Max(MAX_PRICE)
  readonly maxPrice?: number;

  @ApiPropertyOptional({ type: Boolean, description: 'true: available > 0; false: none available' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  readonly inStock?: boolean;

  @ApiPropertyOptional({
    enum: PRODUCT_SORTS,
    description: 'Default: relevance with q, newest otherwise',
  })
  @IsOptional()
  @IsIn(PRODUCT_SORTS, { message: `sort must be one of: ${PRODUCT_SORTS.join(', ')}` })
  readonly sort?: ProductSort;
}

export class CreateProductDto {
  @ApiProperty({ example: 'AUD-000123', maxLength: 64 })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
    message: 'sku must be 1-64 letters, digits, ".", "_" or "-"',
  })
  readonly sku!: string;

  @ApiProperty({ example: 'Acme Wireless Headphones X200', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  readonly name!: string;

  @ApiPropertyOptional({ maxLength: 5000, default: '' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  readonly description?: string;

  @ApiProperty({ description: 'Minor units (cents)', example: 4999, minimum: 0 })
  @IsInt()
  @Min(0)
  @Max(MAX_PRICE)
  readonly price!: number;

  @ApiProperty({ example: 'USD', description: 'ISO 4217, upper case' })
  @IsCurrencyCode()
  readonly currency!: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'categoryId must be a UUID' })
  readonly categoryId?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { colour: 'black' } })
  @IsOptional()
  @IsObject()
  @IsSmallObject()
  readonly attributes?: Record<string, unknown>;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  readonly active?: boolean;
}

export class UpdateProductDto extends PartialType(CreateProductDto) {}

export class ProductDto {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty() readonly sku!: string;
  @ApiProperty() readonly name!: string;
  @ApiProperty() readonly description!: string;
  @ApiProperty({ description: 'Minor units' }) readonly price!: number;
  @ApiProperty({ example: 'USD' }) readonly currency!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) readonly categoryId!:
    string | null;
  @ApiProperty({ type: 'object', additionalProperties: true })
  readonly attributes!: Record<string, unknown>;
  @ApiProperty() readonly active!: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) readonly createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) readonly updatedAt!: Date;
}

export class ProductListDto {
  @ApiProperty({ type: [ProductDto] }) readonly items!: ProductDto[];
  @ApiProperty({
    example: 42,
    description:
      'Number of matches; with totalIsEstimate, an estimate (an upper bound) of a broad search',
  })
  readonly total!: number;
  @ApiProperty({
    description:
      'True when a search matched more products than SEARCH_EXACT_TOTAL_UP_TO (200): the ' +
      'total is then estimated instead of counted; pages past the last match are empty',
  })
  readonly totalIsEstimate!: boolean;
  @ApiProperty({ example: 1 }) readonly page!: number;
  @ApiProperty({ example: 20 }) readonly limit!: number;
  @ApiPropertyOptional({
    example: 'contoso kettle',
    description:
      'Present when the search text had typos and the results are for this corrected text instead',
  })
  readonly correctedQuery?: string;
}

export class CreateCategoryDto {
  @ApiProperty({ example: 'Audio', maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  readonly name!: string;

  @ApiPropertyOptional({ example: 'audio', description: 'Default: derived from the name' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { message: 'slug must be lower-case words joined by "-"' })
  @MaxLength(100)
  readonly slug?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'parentId must be a UUID' })
  readonly parentId?: string;
}

export class CategoryDto {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty() readonly name!: string;
  @ApiProperty() readonly slug!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) readonly parentId!: string | null;
}

export class CategoryListDto {
  @ApiProperty({ type: [CategoryDto] }) readonly items!: CategoryDto[];
  @ApiProperty() readonly total!: number;
  @ApiProperty() readonly page!: number;
  @ApiProperty() readonly limit!: number;
}
