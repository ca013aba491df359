import { type AuthUser, Role } from '@commerce/contracts';
import { CurrentUser, ErrorResponseDto, Roles } from '@commerce/nest-kit';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { UserDto } from '../users/users.dto';
import {
  GrantRoleDto,
  ListUsersQueryDto,
  UserIdParamDto,
  UserListDto,
  UserRoleParamDto,
} from './admin.dto';
import { AdminService } from './admin.service';

@ApiTags('admin')
@Controller('admin/users')
@Roles(Role.ADMIN, Role.SUPER_ADMIN)
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get()
  @ApiOperation({ summary: 'List users (ADMIN, SUPER_ADMIN)' })
  @ApiOkResponse({ type: UserListDto })
  list(@Query() query: ListUsersQueryDto): Promise<UserListDto> {
    return this.admin.list(query.page, query.limit, query.email);
  }

  @Post(':id/roles')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Grant a role: ADMIN may grant CUSTOMER; only SUPER_ADMIN grants ADMIN or SUPER_ADMIN',
    description: 'Takes effect in the user’s next access token (login or refresh).',
  })
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'USER_NOT_FOUND' })
  grant(
    @CurrentUser() actor: AuthUser,
    @Param() params: UserIdParamDto,
    @Body() dto: GrantRoleDto,
  ): Promise<UserDto> {
    return this.admin.changeRole(actor, params.id, dto.role, 'grant');
  }

  @Delete(':id/roles/:role')
  @ApiOperation({
    summary: 'Remove a role (same rules as granting; nobody removes their own SUPER_ADMIN)',
    description: 'Takes effect in the user’s next access token (login or refresh).',
  })
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'USER_NOT_FOUND' })
  remove(@CurrentUser() actor: AuthUser, @Param() params: UserRoleParamDto): Promise<UserDto> {
    return this.admin.changeRole(actor, params.id, params.role, 'remove');
  }
}
