import { PageQueryDto } from '@commerce/nest-kit';
import {
  ORDER_STATUSES,
  OrderStatus,
  type OrderItemView,
  type OrderTimelineEntry,
  type OrderView,
  type ShippingAddress,
} from '@commerce/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO31661Alpha2,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';

export class ShippingAddressDto implements ShippingAddress {
  @ApiProperty({ maxLength: 100, example: 'Ada Lovelace' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  readonly name!: string;

  @ApiProperty({ maxLength: 200, example: '12 St James Square' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  readonly line1!: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  readonly line2?: string;

  @ApiProperty({ maxLength: 100, example: 'London' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  readonly city!: string;

  @ApiProperty({ maxLength: 16, example: 'SW1Y 4JH' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9 -]{0,15}$/, {
    message: 'postalCode must be 1 to 16 letters, digits, spaces or hyphens',
  })
  readonly postalCode!: string;

  @ApiProperty({ example: 'GB', description: 'ISO 3166-1 alpha-2' })
  @IsString()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code such as "GB"' })
  @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code such as "GB"' })
  readonly country!: string;
}

const KEY = /^[A-Za-z0-9._:-]{1,128}$/;

/** Internal `POST /internal/orders` (and, later, what `POST /checkout` passes on). */
export class CreateOrderDto {
  @ApiProperty({ description: 'The customer (a user id, the `sub` of their token)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  readonly customerId!: string;

  @ApiProperty({ type: ShippingAddressDto })
  @IsObject({ message: 'shippingAddress must be an object' })
  @ValidateNested()
  @Type(() => ShippingAddressDto)
  readonly shippingAddress!: ShippingAddressDto;

  @ApiProperty({ example: 'pm_card_visa', maxLength: 128 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  readonly paymentMethodId!: string;

  @ApiProperty({
    example: '6f1c1c8e-0b6c-4b8e-8d7e-3b1f1a2c9d10',
    description: 'One order per (customerId, idempotencyKey); 1-128 of A-Z a-z 0-9 . _ : -',
  })
  @IsString()
  @Matches(KEY, {
    message: 'idempotencyKey must be 1 to 128 letters, digits, ".", "_", ":" or "-"',
  })
  readonly idempotencyKey!: string;
}

const TARGETS = ORDER_STATUSES.filter((s) => s !== OrderStatus.PENDING);

export class TransitionDto {
  @ApiProperty({ enum: TARGETS })
  @IsIn(TARGETS, { message: `to must be one of: ${TARGETS.join(', ')}` })
  readonly to!: OrderStatus;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  readonly reason?: string;

  @ApiPropertyOptional({ maxLength: 100, description: 'Who moves it; default: the caller' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  readonly actor?: string;
}

export class ReasonDto {
  @ApiProperty({ maxLength: 500, example: 'payment declined' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  readonly reason!: string;
}

export class OptionalReasonDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  readonly reason?: string;
}

export class OrderIdParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  readonly id!: string;
}

/** `GET /orders/:id?waitWhile=`: a long poll for the next status move. */
export class OrderWaitQueryDto {
  @ApiPropertyOptional({
    enum: ORDER_STATUSES,
    description:
      'The status the client last saw. While the stored status is still this one, the answer ' +
      'waits for it to move, up to a few seconds (ORDER_WAIT_MAX_MS, 2 s by default), then ' +
      'returns the order as it is: compare its status and ask again. Lets a client follow a ' +
      'checkout with one request per move instead of polling.',
  })
  @IsOptional()
  @IsIn(ORDER_STATUSES, { message: `waitWhile must be one of: ${ORDER_STATUSES.join(', ')}` })
  readonly waitWhile?: OrderStatus;
}

/** `GET /orders?page=&limit=`: own orders, newest first. */
export class OrdersQueryDto extends PageQueryDto {}

export class OrderItemDto implements OrderItemView {
  @ApiProperty({ format: 'uuid' }) readonly productId!: string;
  @ApiProperty() readonly sku!: string;
  @ApiProperty() readonly name!: string;
  @ApiProperty({ description: 'Minor units, snapshotted at order time' })
  readonly unitPrice!: number;
  @ApiProperty() readonly quantity!: number;
  @ApiProperty() readonly lineTotal!: number;
}

export class TimelineEntryDto implements OrderTimelineEntry {
  @ApiProperty({ enum: ORDER_STATUSES, nullable: true, type: String })
  readonly from!: OrderStatus | null;
  @ApiProperty({ enum: ORDER_STATUSES }) readonly to!: OrderStatus;
  @ApiProperty({ type: String, nullable: true }) readonly reason!: string | null;
  @ApiProperty() readonly actor!: string;
  @ApiProperty({ format: 'date-time' }) readonly at!: string;
}

export class CheckoutTimelineEntryDto {
  @ApiProperty({ example: 'chargePayment' }) readonly step!: string;
  @ApiProperty({ enum: ORDER_STATUSES }) readonly status!: OrderStatus;
  @ApiProperty({ format: 'date-time' }) readonly at!: string;
  @ApiPropertyOptional() readonly note?: string;
}

/** The running checkout workflow's own view (its `getStatus` query). */
export class CheckoutStateDto {
  @ApiProperty({ enum: ORDER_STATUSES }) readonly status!: OrderStatus;
  @ApiProperty({ example: 'chargePayment' }) readonly step!: string;
  @ApiProperty({ type: [CheckoutTimelineEntryDto] })
  readonly timeline!: CheckoutTimelineEntryDto[];
  @ApiPropertyOptional() readonly failureReason?: string;
  @ApiPropertyOptional({ description: 'The approving operator’s user id' })
  readonly approvedBy?: string;
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'In review: when the review times out (the workflow’s own timer)',
  })
  readonly reviewDeadline?: string;
}

export class OrderDto implements OrderView {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty() readonly customerId!: string;
  @ApiProperty({ enum: ORDER_STATUSES }) readonly status!: OrderStatus;
  @ApiProperty({ type: [OrderItemDto] }) readonly items!: OrderItemDto[];
  @ApiProperty({ description: 'Minor units' }) readonly total!: number;
  @ApiProperty({ example: 'EUR' }) readonly currency!: string;
  @ApiProperty({ type: ShippingAddressDto }) readonly shippingAddress!: ShippingAddressDto;
  @ApiProperty() readonly paymentMethodId!: string;
  @ApiProperty({ type: [TimelineEntryDto] }) readonly timeline!: TimelineEntryDto[];
  @ApiPropertyOptional() readonly failureReason?: string;
  @ApiPropertyOptional({
    type: CheckoutStateDto,
    description:
      'Live state of the checkout workflow while it runs (GET /orders/:id only). It may lag the workflow by up to CHECKOUT_LIVE_STATUS_TTL_MS (1 s by default) and is asked again whenever the stored status changes, so it is never behind `status`.',
  })
  readonly checkout?: CheckoutStateDto;
  @ApiProperty({ format: 'date-time' }) readonly createdAt!: string;
  @ApiProperty({ format: 'date-time' }) readonly updatedAt!: string;
}

export class OrderPageDto {
  @ApiProperty({ type: [OrderDto] }) readonly items!: OrderDto[];
  @ApiProperty() readonly total!: number;
  @ApiProperty() readonly page!: number;
  @ApiProperty() readonly limit!: number;
}

/** Internal `POST /internal/orders/:id/payment-events` (a PaymentSettledEvent). */
export class PaymentEventDto {
  @ApiProperty({ enum: ['payment.confirmed', 'payment.failed'] })
  @IsIn(['payment.confirmed', 'payment.failed'], {
    message: 'type must be payment.confirmed or payment.failed',
  })
  readonly type!: 'payment.confirmed' | 'payment.failed';

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  readonly orderId!: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  readonly paymentId!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  readonly status?: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  readonly failureCode?: string | null;
}

/** Most ids one `POST /internal/orders/statuses` may ask about (the sweeper's batch is 100). */
export const MAX_STATUS_IDS = 500;

/** Internal `POST /internal/orders/statuses`: the orders whose status a caller wants. */
export class OrderStatusesQueryDto {
  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: MAX_STATUS_IDS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_STATUS_IDS)
  @IsUUID('all', { each: true })
  readonly ids!: string[];
}

export class OrderStatusItemDto {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty({ enum: ORDER_STATUSES }) readonly status!: OrderStatus;
}

export class OrderStatusesDto {
  @ApiProperty({
    type: [OrderStatusItemDto],
    description: 'One entry per asked id that is an order; an id with no order is left out',
  })
  readonly items!: OrderStatusItemDto[];
}

/** `GET /admin/orders`: every customer's orders, filtered, for operators. */
export class AdminOrdersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ORDER_STATUSES })
  @IsOptional()
  @IsIn(ORDER_STATUSES, { message: `status must be one of: ${ORDER_STATUSES.join(', ')}` })
  readonly status?: OrderStatus;

  @ApiPropertyOptional({ maxLength: 320, description: 'The customer’s email (exact, any case)' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(320)
  readonly email?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'One order by its id' })
  @IsOptional()
  @IsUUID('all')
  readonly id?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  readonly customerId?: string;

  @ApiPropertyOptional({
    enum: ['newest', 'oldest'],
    default: 'newest',
    description: 'By creation time; the review queue reads oldest first',
  })
  @IsOptional()
  @IsIn(['newest', 'oldest'], { message: 'sort must be newest or oldest' })
  readonly sort: 'newest' | 'oldest' = 'newest';
}

export class AdminOrderDto extends OrderDto {
  @ApiProperty({ type: String, nullable: true, description: 'Where the confirmation goes' })
  readonly customerEmail!: string | null;

  @ApiPropertyOptional({
    format: 'date-time',
    description:
      'AWAITING_APPROVAL only: when the review times out and the order is rejected, estimated ' +
      'from the time the order entered review plus CHECKOUT_REVIEW_TIMEOUT_MS (a list does not ' +
      'ask each workflow); `checkout.reviewDeadline` of GET /orders/{id} is the workflow’s own',
  })
  readonly reviewDeadline?: string;
}

export class AdminOrderPageDto {
  @ApiProperty({ type: [AdminOrderDto] }) readonly items!: AdminOrderDto[];
  @ApiProperty() readonly total!: number;
  @ApiProperty() readonly page!: number;
  @ApiProperty() readonly limit!: number;
}

/** The checkout workflow's own answer to an operator's decision (its Update result). */
export class ReviewDecisionDto {
  @ApiProperty({ format: 'uuid' }) readonly orderId!: string;
  @ApiProperty({ enum: ['APPROVED', 'REJECTED'] }) readonly decision!: 'APPROVED' | 'REJECTED';
  @ApiProperty({ description: 'The operator’s user id, as the workflow recorded it' })
  readonly by!: string;
  @ApiPropertyOptional({ description: 'The operator’s email, for people to read' })
  readonly byEmail?: string;
  @ApiProperty({
    enum: ORDER_STATUSES,
    description: 'Where the checkout was when it took the decision',
  })
  readonly status!: OrderStatus;
}

export class DecidedOrderDto extends OrderDto {
  @ApiProperty({ type: ReviewDecisionDto }) readonly decision!: ReviewDecisionDto;
}

/** A checkout whose workflow run failed and waits for an operator (GET /admin/checkouts/failed). */
export class FailedCheckoutDto {
  @ApiProperty({ format: 'uuid' }) readonly orderId!: string;
  @ApiProperty({ example: 'checkout-6f1c1c8e-0b6c-4b8e-8d7e-3b1f1a2c9d10' })
  readonly workflowId!: string;
  @ApiProperty() readonly runId!: string;
  @ApiPropertyOptional({ format: 'date-time' }) readonly failedAt?: string;
  @ApiPropertyOptional({
    example: 'CompensationFailed',
    description: 'CompensationFailed: stock or money could not be put back (docs/operations.md)',
  })
  readonly failureType?: string;
  @ApiProperty({ description: 'The workflow’s failure, naming each step that could not be done' })
  readonly failureMessage!: string;
  @ApiProperty({
    type: AdminOrderDto,
    nullable: true,
    description: 'The order as stored (null when this service has no such order)',
  })
  readonly order!: AdminOrderDto | null;
}

export class FailedCheckoutPageDto {
  @ApiProperty({ type: [FailedCheckoutDto] }) readonly items!: FailedCheckoutDto[];
  @ApiProperty() readonly total!: number;
  @ApiProperty() readonly page!: number;
  @ApiProperty() readonly limit!: number;
}
