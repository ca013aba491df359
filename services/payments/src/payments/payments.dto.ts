import {
  PaymentFailureCode,
  PaymentStatus,
  type PaymentView,
  type RefundView,
} from '@commerce/contracts';
import { PageQueryDto } from '@commerce/nest-kit';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  Validate,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { isCurrencyCode } from '../common/money';

@ValidatorConstraint({ name: 'isCurrencyCode' })
class IsCurrencyCodeConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return isCurrencyCode(value);
  }

  defaultMessage(): string {
    return 'currency must be an ISO 4217 code in capitals, such as "EUR"';
  }
}

const MAX_AMOUNT = 99_999_999_999;
const KEY = /^[A-Za-z0-9._:-]{1,200}$/;

/** `POST /internal/payments/charges` (ChargeRequest). */
export class ChargeDto {
  @ApiProperty({ format: 'uuid', description: 'The order; one payment per order' })
  @IsUUID('all', { message: 'orderId must be a UUID' })
  readonly orderId!: string;

  @ApiProperty({ maxLength: 128 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  readonly customerId!: string;

  @ApiProperty({ example: 2599, minimum: 1, description: 'Minor units' })
  @IsInt({ message: 'amount must be a positive integer of minor units' })
  @Min(1, { message: 'amount must be a positive integer of minor units' })
  @Max(MAX_AMOUNT)
  readonly amount!: number;

  @ApiProperty({ example: 'EUR', description: 'ISO 4217, capitals' })
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be three capital letters, such as "EUR"' })
  @Validate(IsCurrencyCodeConstraint)
  readonly currency!: string;

  @ApiProperty({ example: 'pm_card_visa', maxLength: 128 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  readonly paymentMethodId!: string;

  @ApiPropertyOptional({
    default: true,
    description: 'false: authorise only; the payment stays AUTHORIZED until captured',
  })
  @IsOptional()
  @IsBoolean()
  readonly capture?: boolean;
}

/** `POST /internal/payments/refunds` (RefundRequest). */
export class RefundDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'orderId must be a UUID' })
  readonly orderId!: string;

  @ApiPropertyOptional({
    minimum: 1,
    description: 'Minor units; default: everything captured and not refunded yet',
  })
  @IsOptional()
  @IsInt({ message: 'amount must be a positive integer of minor units' })
  @Min(1, { message: 'amount must be a positive integer of minor units' })
  @Max(MAX_AMOUNT)
  readonly amount?: number;

  @ApiProperty({ maxLength: 500, example: 'checkout cancelled' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  readonly reason!: string;

  @ApiProperty({
    description: 'One refund per key; 1-200 of A-Z a-z 0-9 . _ : -',
    example: 'refund-5f0c6a4e-3f3b-4a49-9a57-1f7e4b7b2d11',
  })
  @IsString()
  @Matches(KEY, {
    message: 'idempotencyKey must be 1 to 200 letters, digits, ".", "_", ":" or "-"',
  })
  readonly idempotencyKey!: string;
}

export class OrderIdParamDto {
  @IsUUID('all', { message: 'orderId must be a UUID' })
  readonly orderId!: string;
}

export class PaymentsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'orderId must be a UUID' })
  readonly orderId?: string;
}

export class PaymentDto implements PaymentView {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty({ format: 'uuid' }) readonly orderId!: string;
  @ApiProperty() readonly customerId!: string;
  @ApiProperty({ enum: Object.values(PaymentStatus) }) readonly status!: PaymentStatus;
  @ApiProperty({ description: 'Minor units' }) readonly amount!: number;
  @ApiProperty({ example: 'EUR' }) readonly currency!: string;
  @ApiProperty({ example: 'stripe' }) readonly provider!: string;
  @ApiProperty({ type: String, nullable: true, example: 'pi_3Nk...' })
  readonly providerPaymentId!: string | null;
  @ApiProperty({ description: 'Minor units refunded so far' }) readonly refundedAmount!: number;
  @ApiProperty({ enum: Object.values(PaymentFailureCode), nullable: true })
  readonly failureCode!: PaymentFailureCode | null;
  @ApiProperty({ type: String, nullable: true }) readonly failureMessage!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'INV-2026-000001' })
  readonly invoiceNumber?: string | null;
  @ApiProperty({ format: 'date-time' }) readonly createdAt!: string;
  @ApiProperty({ format: 'date-time' }) readonly updatedAt!: string;
}

export class PaymentPageDto {
  @ApiProperty({ type: [PaymentDto] }) readonly items!: PaymentDto[];
  @ApiProperty() readonly total!: number;
  @ApiProperty() readonly page!: number;
  @ApiProperty() readonly limit!: number;
}

export class RefundResultDto implements RefundView {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty({ format: 'uuid' }) readonly paymentId!: string;
  @ApiProperty({ format: 'uuid' }) readonly orderId!: string;
  @ApiProperty({ description: 'Minor units given back (0 for a void or nothing to refund)' })
  readonly amount!: number;
  @ApiProperty() readonly currency!: string;
  @ApiProperty({ enum: ['SUCCEEDED', 'FAILED'] }) readonly status!: 'SUCCEEDED' | 'FAILED';
  @ApiProperty({
    enum: ['REFUND', 'VOID', 'NOTHING'],
    description: 'REFUND: money given back; VOID: the uncaptured payment was cancelled; NOTHING',
  })
  readonly kind!: 'REFUND' | 'VOID' | 'NOTHING';
  @ApiProperty() readonly reason!: string;
  @ApiProperty({ format: 'date-time' }) readonly createdAt!: string;
}
