import type { AuthUser } from '@commerce/contracts';
import { ApiAuth, CurrentUser, ErrorResponseDto, Public } from '@commerce/nest-kit';
import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuthErrors } from '../common/auth-errors';
import { RegisterDto, UserDto } from './users.dto';
import { UsersService } from './users.service';

@ApiTags('auth')
@Controller('auth')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Public()
  @Post('register')
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a customer account' })
  @ApiCreatedResponse({ type: UserDto })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'VALIDATION_FAILED (names the field, e.g. password for the password policy)',
  })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'EMAIL_TAKEN' })
  async register(@Body() dto: RegisterDto): Promise<UserDto> {
    return UserDto.of(await this.users.register(dto));
  }

  @Get('me')
  @ApiAuth()
  @ApiOperation({ summary: 'The account of the access token (roles as stored now)' })
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'USER_NOT_FOUND (e.g. a service token)',
  })
  async me(@CurrentUser() caller: AuthUser): Promise<UserDto> {
    const user = await this.users.findById(caller.id);
    if (!user) throw AuthErrors.userNotFound(caller.id);
    return UserDto.of(user);
  }
}
