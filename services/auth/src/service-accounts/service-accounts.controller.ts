import { ErrorResponseDto, Public } from '@commerce/nest-kit';
import { Body, Controller, HttpCode, Post, Req, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { ClientRequest } from '../common/client-request';
import { RetryAfterInterceptor } from '../common/retry-after.interceptor';
import { ClientCredentialsDto, ServiceTokenDto } from './service-accounts.dto';
import { ServiceAccountsService } from './service-accounts.service';

@ApiTags('auth')
@Controller('auth')
export class ServiceAccountsController {
  constructor(private readonly accounts: ServiceAccountsService) {}

  @Public()
  @Post('token')
  @HttpCode(200)
  @UseInterceptors(RetryAfterInterceptor)
  @ApiOperation({ summary: 'Client credentials: a SERVICE access token for an internal caller' })
  @ApiOkResponse({ type: ServiceTokenDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'INVALID_CREDENTIALS' })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: 'TOO_MANY_ATTEMPTS' })
  token(
    @Body() dto: ClientCredentialsDto,
    @Req() request: ClientRequest,
  ): Promise<ServiceTokenDto> {
    return this.accounts.issueToken(dto.clientId, dto.clientSecret, request.ip);
  }
}
