import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { normaliseEmail } from '../users/email';

export class LoginDto {
  @ApiProperty({ example: 'ada@example.com' })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? normaliseEmail(value) : value,
  )
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  readonly email!: string;

  @ApiProperty({ example: 'correct-Horse-battery' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  readonly password!: string;
}

export class RefreshTokenDto {
  @ApiProperty({ description: 'The opaque refresh token from login or the previous refresh' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  readonly refreshToken!: string;
}

export class TokenPairDto {
  @ApiProperty({ description: 'ES256 JWT; send as Authorization: Bearer <token>' })
  readonly accessToken!: string;

  @ApiProperty({
    description: 'Opaque, single use: exchange it at /auth/refresh for a new pair',
  })
  readonly refreshToken!: string;

  @ApiProperty({ example: 900, description: 'Lifetime of the access token, seconds' })
  readonly expiresIn!: number;

  @ApiProperty({ example: 'Bearer' })
  readonly tokenType!: 'Bearer';
}
