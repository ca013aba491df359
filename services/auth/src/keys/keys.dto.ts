import { ApiProperty } from '@nestjs/swagger';

export class JwkDto {
  @ApiProperty({ example: 'EC' }) readonly kty!: 'EC';
  @ApiProperty({ example: 'P-256' }) readonly crv!: 'P-256';
  @ApiProperty({ description: 'base64url x coordinate' }) readonly x!: string;
  @ApiProperty({ description: 'base64url y coordinate' }) readonly y!: string;
  @ApiProperty({ description: 'Key id, matches the `kid` header of tokens it signed' })
  readonly kid!: string;
  @ApiProperty({ example: 'ES256' }) readonly alg!: 'ES256';
  @ApiProperty({ example: 'sig' }) readonly use!: 'sig';
}

export class JwksDto {
  @ApiProperty({ type: [JwkDto] }) readonly keys!: JwkDto[];
}
