import { USER_ROLES, type UserRole } from '@commerce/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { UserDto } from '../users/users.dto';

export class InternalUsersQueryDto {
  @ApiPropertyOptional({ enum: USER_ROLES, description: 'Only users holding this role' })
  @IsOptional()
  @IsIn(USER_ROLES, { message: `role must be one of: ${USER_ROLES.join(', ')}` })
  readonly role?: UserRole;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 500 })
  @IsOptional()
  @Type(() => Number)
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
