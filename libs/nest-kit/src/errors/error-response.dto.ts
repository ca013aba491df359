import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ErrorBody } from './error-response';

/** The error shape for OpenAPI: `@ApiResponse({ status: 404, type: ErrorResponseDto })`. */
export class ErrorResponseDto implements ErrorBody {
  @ApiProperty({ example: 400 })
  readonly statusCode!: number;

  @ApiProperty({ example: 'Bad Request', description: 'HTTP reason phrase' })
  readonly error!: string;

  @ApiProperty({ example: 'Validation failed: quantity must not be less than 1' })
  readonly message!: string;

  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'Stable code clients branch on' })
  readonly code!: string;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object' },
    example: [{ field: 'quantity', constraints: ['quantity must not be less than 1'] }],
  })
  readonly details?: unknown[];

  @ApiProperty({
    example: '0b6e2c1e-5b7a-4a8e-9f0e-2d7c1f7b9a10',
    description: 'Also in x-request-id',
  })
  readonly requestId!: string;
}
