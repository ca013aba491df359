import {
  type CampaignAudience,
  type CampaignFailure,
  CampaignStatus,
  type CampaignView,
  type CreateCampaignRequest,
  USER_ROLES,
  type UserRole,
} from '@commerce/contracts';
import { PageQueryDto } from '@commerce/nest-kit';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateNested,
} from 'class-validator';

/** Most user ids one campaign may list (the body stays well under the service's size limit). */
export const MAX_AUDIENCE_USER_IDS = 10_000;

/** Which of the audience's kinds are set: exactly one must be. */
export function audienceKinds(value: unknown): string[] {
  if (!value || typeof value !== 'object') return [];
  const audience = value as Record<string, unknown>;
  return ['all', 'role', 'userIds'].filter((key) => audience[key] !== undefined);
}

export class CampaignAudienceDto {
  @ApiPropertyOptional({ enum: [true], description: 'Every user' })
  @IsOptional()
  @IsIn([true], { message: 'audience.all must be true when given' })
  readonly all?: true;

  @ApiPropertyOptional({ enum: USER_ROLES, description: 'Every holder of this role' })
  @IsOptional()
  @IsIn(USER_ROLES, { message: `role must be one of: ${USER_ROLES.join(', ')}` })
  readonly role?: UserRole;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: MAX_AUDIENCE_USER_IDS,
    description: 'These users (ids unknown to the auth service are left out)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_AUDIENCE_USER_IDS)
  @IsUUID('all', { each: true, message: 'userIds must contain user ids (UUIDs)' })
  readonly userIds?: string[];
}

export class CreateCampaignDto implements CreateCampaignRequest {
  @ApiProperty({
    example: 'News for {{name}}',
    description: 'A Handlebars template, like the body',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  readonly subject!: string;

  @ApiProperty({ example: 'newsletter', description: 'Key of a stored template' })
  @IsString()
  @Matches(/^[A-Za-z0-9._:-]{1,128}$/, { message: 'template must be a template key' })
  readonly template!: string;

  @ApiProperty({
    type: CampaignAudienceDto,
    description: 'Exactly one of `{all: true}`, `{role}`, `{userIds}`',
  })
  @IsObject()
  @ValidateNested()
  @Type(() => CampaignAudienceDto)
  @ValidateBy({
    name: 'isOneAudience',
    validator: {
      validate: (value) => audienceKinds(value).length === 1,
      defaultMessage: () => 'audience must have exactly one of: all, role, userIds',
    },
  })
  readonly audience!: CampaignAudience;

  @ApiPropertyOptional({ example: 'de', description: 'BCP 47 tag; falls back to en' })
  @IsOptional()
  @IsString()
  @MaxLength(35)
  readonly locale?: string;
}

export class CampaignDto implements CampaignView {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty({ enum: Object.values(CampaignStatus) }) readonly status!: CampaignStatus;
  @ApiProperty() readonly subject!: string;
  @ApiProperty() readonly template!: string;
  @ApiProperty({ example: 'en' }) readonly locale!: string;
  @ApiProperty({ type: CampaignAudienceDto }) readonly audience!: CampaignAudience;
  @ApiProperty({ description: 'Recipients found so far (final once fanoutDone)' })
  readonly total!: number;
  @ApiProperty({ description: 'Jobs enqueued' }) readonly queued!: number;
  @ApiProperty() readonly sent!: number;
  @ApiProperty() readonly failed!: number;
  @ApiProperty({ description: 'Skipped: the address unsubscribed' }) readonly suppressed!: number;
  @ApiProperty({ description: 'Dropped by a cancel' }) readonly cancelled!: number;
  @ApiProperty({ description: 'Counted as sent without the SMTP answer (a worker died)' })
  readonly unconfirmed!: number;
  @ApiProperty() readonly fanoutDone!: boolean;
  @ApiProperty() readonly createdAt!: string;
  @ApiProperty() readonly updatedAt!: string;
  @ApiProperty({ type: String, nullable: true }) readonly completedAt!: string | null;
}

export class CampaignPageDto {
  @ApiProperty({ type: [CampaignDto] }) readonly items!: CampaignDto[];
  @ApiProperty() readonly total!: number;
  @ApiProperty() readonly page!: number;
  @ApiProperty() readonly limit!: number;
}

export class CampaignFailureDto implements CampaignFailure {
  @ApiProperty({ format: 'uuid' }) readonly userId!: string;
  @ApiProperty() readonly email!: string;
  @ApiProperty() readonly error!: string;
  @ApiProperty() readonly failedAt!: string;
}

export class CampaignFailurePageDto {
  @ApiProperty({ type: [CampaignFailureDto] }) readonly items!: CampaignFailureDto[];
  @ApiProperty() readonly total!: number;
  @ApiProperty() readonly page!: number;
  @ApiProperty() readonly limit!: number;
}

export class CampaignIdParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'id must be a campaign id (UUID)' })
  readonly id!: string;
}

export class CampaignsQueryDto extends PageQueryDto {}

export class UnsubscribeQueryDto {
  @ApiProperty({ description: 'The token of the link in a campaign email' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{10,2000}\.[A-Za-z0-9_-]{10,100}$/, {
    message: 'token must be the token of an unsubscribe link',
  })
  readonly token!: string;
}

/**
 * The body a mail client posts for a one-click unsubscribe (RFC 8058), form-encoded:
 * `List-Unsubscribe=One-Click`.
 */
export class OneClickUnsubscribeDto {
  @ApiProperty({ name: 'List-Unsubscribe', enum: ['One-Click'] })
  @IsIn(['One-Click'], { message: 'List-Unsubscribe must be One-Click' })
  readonly 'List-Unsubscribe'!: 'One-Click';
}

export class UnsubscribeResultDto {
  @ApiProperty({ example: 'ada@example.com' }) readonly email!: string;
  @ApiProperty({ example: true }) readonly unsubscribed!: true;
}
