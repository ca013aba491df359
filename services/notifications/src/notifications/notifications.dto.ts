import {
  NotificationChannel,
  NotificationStatus,
  type NotificationView,
  type SendNotificationRequest,
} from '@commerce/contracts';
import { PageQueryDto } from '@commerce/nest-kit';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateBy,
  type ValidationOptions,
  isEmail,
} from 'class-validator';

const CHANNELS = Object.values(NotificationChannel);
const KEY = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * True for a JSON object MongoDB stores as it is: no key starting with `$` or containing `.`
 * (operators and paths to MongoDB), nesting at most 8 levels deep.
 */
export function isStorableData(value: unknown, depth = 0): boolean {
  if (depth > 8) return false;
  if (Array.isArray(value)) return value.every((v) => isStorableData(v, depth + 1));
  if (value === null || typeof value !== 'object') return true;
  return Object.entries(value).every(
    ([key, child]) =>
      !key.startsWith('$') &&
      !key.includes('.') &&
      !key.includes('\0') &&
      isStorableData(child, depth + 1),
  );
}

/** Why `to` is no address for `channel` (undefined when it is, or the channel is unknown). */
export function recipientProblem(channel: unknown, to: unknown): string | undefined {
  if (typeof to !== 'string') return undefined;
  switch (channel) {
    case NotificationChannel.EMAIL:
      return isEmail(to) && to.length <= 254
        ? undefined
        : 'to must be an email address for the email channel';
    case NotificationChannel.SMS:
      return /^\+[1-9]\d{6,14}$/.test(to)
        ? undefined
        : 'to must be an E.164 phone number such as "+4915112345678" for the sms channel';
    case NotificationChannel.PUSH:
      return /^[\x21-\x7e]{8,512}$/.test(to)
        ? undefined
        : 'to must be a device token (8 to 512 printable characters) for the push channel';
    default:
      return undefined;
  }
}

const IsRecipient = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isRecipient',
      validator: {
        validate: (value, args) =>
          recipientProblem((args?.object as { channel?: unknown }).channel, value) === undefined,
        defaultMessage: (args) =>
          recipientProblem((args?.object as { channel?: unknown }).channel, args?.value) ??
          'to is not a valid recipient',
      },
    },
    options,
  );

const IsStorableData = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isStorableData',
      validator: {
        validate: (value) => isStorableData(value),
        defaultMessage: () =>
          'data keys must not start with "$" or contain "." and data may nest at most 8 levels',
      },
    },
    options,
  );

/** `POST /internal/notifications` (SendNotificationRequest). */
export class SendNotificationDto implements SendNotificationRequest {
  @ApiProperty({ description: 'The user the notification belongs to (a token `sub`)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  readonly userId!: string;

  @ApiProperty({ enum: CHANNELS })
  @IsIn(CHANNELS, { message: `channel must be one of: ${CHANNELS.join(', ')}` })
  readonly channel!: NotificationChannel;

  @ApiProperty({ example: 'order-confirmed', description: 'A template key the service knows' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, {
    message: 'template must be a template key such as "order-confirmed"',
  })
  readonly template!: string;

  @ApiPropertyOptional({
    example: 'de',
    description: 'BCP 47 language tag; the template falls back to its language, then to `en`',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}$/, {
    message: 'locale must be a BCP 47 language tag such as "en" or "de-AT"',
  })
  readonly locale?: string;

  @ApiProperty({
    example: 'ada@example.com',
    description: 'An email address (email), an E.164 phone number (sms) or a device token (push)',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  @IsRecipient()
  readonly to!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { orderId: 'A-1001', total: 4998, currency: 'EUR', items: [] },
    description: 'Values the template renders; money in minor units with an ISO currency',
  })
  @IsObject({ message: 'data must be an object' })
  @IsStorableData()
  readonly data!: Record<string, unknown>;

  @ApiProperty({
    example: 'order-confirmed:6f1c1c8e-0b6c-4b8e-8d7e-3b1f1a2c9d10',
    description: 'One notification per key; 1-128 of A-Z a-z 0-9 . _ : -',
  })
  @IsString()
  @Matches(KEY, {
    message: 'idempotencyKey must be 1 to 128 letters, digits, ".", "_", ":" or "-"',
  })
  readonly idempotencyKey!: string;
}

export class NotificationIdParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  readonly id!: string;
}

/** `GET /notifications?page=&limit=`: own notifications, newest first. */
export class NotificationsQueryDto extends PageQueryDto {}

const STATUSES = Object.values(NotificationStatus);

/** `GET /admin/notifications`: anyone's notifications for operators, every filter optional. */
export class AdminNotificationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The order the notification is about (its `data.orderId`)',
  })
  @IsOptional()
  @IsUUID('all')
  readonly orderId?: string;

  @ApiPropertyOptional({ maxLength: 128, description: 'The recipient’s user id' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  readonly userId?: string;

  @ApiPropertyOptional({
    maxLength: 512,
    description: 'The address it went to (email, phone number or device token; exact)',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  readonly to?: string;

  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES, { message: `status must be one of: ${STATUSES.join(', ')}` })
  readonly status?: NotificationStatus;
}

export class NotificationDto implements NotificationView {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty() readonly userId!: string;
  @ApiProperty({ enum: CHANNELS }) readonly channel!: NotificationChannel;
  @ApiProperty() readonly template!: string;
  @ApiProperty({ description: 'The locale it was rendered in' }) readonly locale!: string;
  @ApiProperty() readonly to!: string;
  @ApiProperty() readonly subject!: string;
  @ApiProperty({ description: 'The plain-text body' }) readonly text!: string;
  @ApiProperty({ enum: Object.values(NotificationStatus) }) readonly status!: NotificationStatus;
  @ApiProperty({ description: 'Delivery attempts started' }) readonly attempts!: number;
  @ApiProperty() readonly idempotencyKey!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  readonly readAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  readonly sentAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) readonly lastError!: string | null;
  @ApiProperty({ format: 'date-time' }) readonly createdAt!: string;
}

export class NotificationPageDto {
  @ApiProperty({ type: [NotificationDto] }) readonly items!: NotificationDto[];
  @ApiProperty() readonly total!: number;
  @ApiProperty() readonly page!: number;
  @ApiProperty() readonly limit!: number;
}
