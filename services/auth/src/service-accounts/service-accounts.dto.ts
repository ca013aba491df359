import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class ClientCredentialsDto {
  @ApiProperty({ example: 'activities' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  readonly clientId!: string;

  @ApiProperty({ description: 'The secret configured for this client in SERVICE_ACCOUNTS' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  readonly clientSecret!: string;
}

export class ServiceTokenDto {
  @ApiProperty({ description: 'ES256 JWT with the SERVICE role; `sub` is the client id' })
  readonly accessToken!: string;

  @ApiProperty({ example: 900 }) readonly expiresIn!: number;

  @ApiProperty({ example: 'Bearer' }) readonly tokenType!: 'Bearer';
}
