import { USER_ROLES, type UserRole } from '@commerce/contracts';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../credentials/password-policy';
import { normaliseEmail } from './email';
import type { UserEntity } from './users.entity';

const trimmed = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value;
const normalisedEmail = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? normaliseEmail(value) : value;

export class RegisterDto {
  @ApiProperty({ example: 'ada@example.com', description: 'Trimmed and lowercased; unique' })
  @Transform(normalisedEmail)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  readonly email!: string;

  @ApiProperty({
    example: 'correct-Horse-battery',
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
    description:
      'At least two of lowercase, uppercase, digits, symbols; not the email address itself',
  })
  @IsString()
  @MaxLength(4 * PASSWORD_MAX_LENGTH)
  readonly password!: string;

  @ApiProperty({ example: 'Ada Lovelace', minLength: 1, maxLength: 100 })
  @Transform(trimmed)
  @IsString()
  @Length(1, 100)
  readonly name!: string;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty({ example: 'ada@example.com' }) readonly email!: string;
  @ApiProperty({ example: 'Ada Lovelace' }) readonly name!: string;
  @ApiProperty({ enum: USER_ROLES, isArray: true, example: ['CUSTOMER'] })
  readonly roles!: UserRole[];

  static of(user: Pick<UserEntity, 'id' | 'email' | 'name' | 'roles'>): UserDto {
    return { id: user.id, email: user.email, name: user.name, roles: [...user.roles] };
  }
}
