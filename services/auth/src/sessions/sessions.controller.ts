import type { AuthUser } from '@commerce/contracts';
import { ApiAuth, CurrentUser, ErrorResponseDto, Public } from '@commerce/nest-kit';
import { Body, Controller, HttpCode, Post, Req, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { ClientRequest } from '../common/client-request';
import { RetryAfterInterceptor } from '../common/retry-after.interceptor';
import { LoginDto, RefreshTokenDto, TokenPairDto } from './sessions.dto';
import { SessionsService } from './sessions.service';

@ApiTags('auth')
@Controller('auth')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED, MALFORMED_JSON' })
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @UseInterceptors(RetryAfterInterceptor)
  @ApiOperation({ summary: 'Exchange email and password for an access and a refresh token' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({
    type: ErrorResponseDto,
    description: 'INVALID_CREDENTIALS (same answer for an unknown email and a wrong password)',
  })
  @ApiTooManyRequestsResponse({
    type: ErrorResponseDto,
    description: 'TOO_MANY_ATTEMPTS, with Retry-After (seconds)',
  })
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: 'Redis unreachable' })
  login(@Body() dto: LoginDto, @Req() request: ClientRequest): Promise<TokenPairDto> {
    return this.sessions.login(dto.email, dto.password, request.ip);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Rotate a refresh token: a new pair; reusing an old token revokes the session',
  })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({
    type: ErrorResponseDto,
    description:
      'REFRESH_TOKEN_INVALID, REFRESH_TOKEN_EXPIRED, REFRESH_TOKEN_REUSED, REFRESH_TOKEN_REVOKED',
  })
  refresh(@Body() dto: RefreshTokenDto): Promise<TokenPairDto> {
    return this.sessions.refresh(dto.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiAuth()
  @ApiOperation({ summary: 'Revoke the access token and the session of the refresh token' })
  @ApiNoContentResponse({ description: 'Logged out' })
  @ApiForbiddenResponse({
    type: ErrorResponseDto,
    description: 'FORBIDDEN: the refresh token belongs to another account',
  })
  async logout(@CurrentUser() caller: AuthUser, @Body() dto: RefreshTokenDto): Promise<void> {
    await this.sessions.logout(caller, dto.refreshToken);
  }
}
