import { ServiceClient } from '@commerce/contracts';
import { ServiceClients } from '@commerce/nest-kit';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UserDto } from '../users/users.dto';
import { UsersService } from '../users/users.service';
import { InternalUserPageDto, InternalUsersQueryDto } from './internal.dto';

/**
 * Backend-only routes (never proxied by the gateway, see INTERNAL_PREFIX), for SERVICE tokens.
 */
@ApiTags('internal')
@Controller('internal/users')
@ServiceClients(ServiceClient.notifications)
export class InternalController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({
    summary: 'Users page by page for bulk jobs (campaign fan-out); keyset pagination by id',
  })
  @ApiOkResponse({ type: InternalUserPageDto })
  async list(@Query() query: InternalUsersQueryDto): Promise<InternalUserPageDto> {
    // One extra row tells whether another page follows.
    const rows = await this.users.listAfter(query.cursor, query.limit + 1, query.role, query.ids);
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: items.map((user) => UserDto.of(user)),
      limit: query.limit,
      nextCursor: rows.length > query.limit && last ? last.id : null,
    };
  }
}
