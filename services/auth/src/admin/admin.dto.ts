import { PageQueryDto } from '@commerce/nest-kit';
import { USER_ROLES, type UserRole } from '@commerce/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { UserDto } from '../users/users.dto';

export class ListUsersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Case-insensitive part of the email address' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  readonly email?: string;
}

export class UserIdParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'id must be a UUID' })
  readonly id!: string;
}

export class UserRoleParamDto extends UserIdParamDto {
  @ApiProperty({ enum: USER_ROLES })
  @IsIn(USER_ROLES, { message: `role must be one of: ${USER_ROLES.join(', ')}` })
  readonly role!: UserRole;
}

export class GrantRoleDto {
  @ApiProperty({ enum: USER_ROLES, example: 'ADMIN' })
  @IsIn(USER_ROLES, { message: `role must be one of: ${USER_ROLES.join(', ')}` })
  readonly role!: UserRole;
}

export class AdminUserDto extends UserDto {
  @ApiProperty({ type: String, format: 'date-time' }) readonly createdAt!: string;
}

export class UserListDto {
  @ApiProperty({ type: [AdminUserDto] }) readonly items!: AdminUserDto[];
  @ApiProperty({ example: 42 }) readonly total!: number;
  @ApiProperty({ example: 1 }) readonly page!: number;
  @ApiProperty({ example: 20 }) readonly limit!: number;
}
