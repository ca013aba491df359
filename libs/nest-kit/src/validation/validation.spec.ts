import { Type } from 'class-transformer';
import {
  IsArray,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Min,
  ValidateNested,
} from 'class-validator';
import { buildErrorResponse } from '../errors/error-response';
import { createValidationPipe } from './validation';

class AddressDto {
  @IsString() city!: string;
  @IsOptional() @IsString() line2?: string;
}

class ItemDto {
  @IsString() productId!: string;
  @IsInt() @Min(1) quantity!: number;
}

class CheckoutDto {
  @IsString() paymentMethodId!: string;
  @IsObject() @ValidateNested() @Type(() => AddressDto) shippingAddress!: AddressDto;
  @IsArray() @ValidateNested({ each: true }) @Type(() => ItemDto) items!: ItemDto[];
}

async function reject(value: unknown) {
  const pipe = createValidationPipe();
  try {
    await pipe.transform(value, { type: 'body', metatype: CheckoutDto });
  } catch (error) {
    return buildErrorResponse(error, { requestId: 'r', exposeServerErrors: false }).body;
  }
  throw new Error('expected validation to fail');
}

describe('createValidationPipe', () => {
  it('transforms a valid payload into the DTO class', async () => {
    const pipe = createValidationPipe();
    const value: unknown = await pipe.transform(
      {
        paymentMethodId: 'pm_card_visa',
        shippingAddress: { city: 'Oslo' },
        items: [{ productId: 'p', quantity: 1 }],
      },
      { type: 'body', metatype: CheckoutDto },
    );
    expect(value).toBeInstanceOf(CheckoutDto);
    expect((value as CheckoutDto).shippingAddress).toBeInstanceOf(AddressDto);
  });

  it('names nested fields and array items by their full path', async () => {
    const body = await reject({
      paymentMethodId: 'pm',
      shippingAddress: { city: 5 },
      items: [
        { productId: 'p', quantity: 1 },
        { productId: 'q', quantity: 0 },
      ],
    });
    expect(body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(body.details).toEqual([
      { field: 'shippingAddress.city', constraints: ['shippingAddress.city must be a string'] },
      {
        field: 'items[1].quantity',
        constraints: ['items[1].quantity must not be less than 1'],
      },
    ]);
    expect(body.message).toBe(
      'Validation failed: shippingAddress.city must be a string; items[1].quantity must not be less than 1',
    );
  });

  it('rejects unknown fields, top-level and nested, naming them', async () => {
    const body = await reject({
      paymentMethodId: 'pm',
      shippingAddress: { city: 'Oslo', planet: 'Mars' },
      items: [],
      isAdmin: true,
    });
    expect(body.details).toEqual(
      expect.arrayContaining([
        { field: 'isAdmin', constraints: ['property isAdmin should not exist'] },
        {
          field: 'shippingAddress.planet',
          constraints: ['property shippingAddress.planet should not exist'],
        },
      ]),
    );
    expect(body.message).toContain('property isAdmin should not exist');
  });

  it('names every missing field of an empty body', async () => {
    const body = await reject({});
    const fields = (body.details as { field: string }[]).map((d) => d.field);
    expect(fields).toEqual(['paymentMethodId', 'shippingAddress', 'items']);
  });
});
