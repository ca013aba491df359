import { DecimalInt } from '@commerce/nest-kit';
import { USER_ROLES, type UserRole } from '@commerce/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { UserDto } from '../users/users.dto';

export class InternalUsersQueryDto {
  @ApiPropertyOptional({ enum: USER_ROLES, description: 'Only users holding this role' })
  @IsOptional()
  @IsIn(USER_ROLES, { message: `role must be one of: ${USER_ROLES.join(', ')}` })
  readonly role?: UserRole;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 500 })
  @IsOptional()
  @DecimalInt()
  @IsInt()
  @Min(1)
  @Max(1000)
  readonly limit: number = 500;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The `nextCursor` of the previous page; omit for the first page',
  })
  @IsOptional()
  @IsUUID('all', { message: 'cursor must be a cursor returned by the previous page' })
  readonly cursor?: string;

  @ApiPropertyOptional({
    type: [String],
    description:
      'Only these users (ids comma-separated, or the parameter repeated; at most 1000). Unknown ids are left out',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => toIdList(value))
  @IsArray()
  @ArrayMaxSize(1000, { message: 'ids must list at most 1000 ids' })
  @IsUUID('all', { each: true, message: 'ids must be user ids (UUIDs)' })
  readonly ids?: string[];
}

/** `?ids=a,b&ids=c` -> ['a', 'b', 'c'] (anything else is left for the validators to refuse). */
function toIdList(value: unknown): unknown {
  const parts = Array.isArray(value) ? value : [value];
  if (!parts.every((part) => typeof part === 'string')) return value;
  return parts
    .flatMap((part) => part.split(','))
    .map((id) => id.trim())
    .filter(Boolean);
}

export class InternalUserPageDto {
  @ApiProperty({ type: [UserDto] }) readonly items!: UserDto[];
  @ApiProperty({ example: 500 }) readonly limit!: number;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page',
  })
  readonly nextCursor!: string | null;
}
