import { Public } from '@commerce/nest-kit';
import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { JwksDto } from './keys.dto';
import { KeysService } from './keys.service';

@ApiTags('auth')
@Controller('auth/.well-known')
export class KeysController {
  constructor(private readonly keys: KeysService) {}

  /**
   * Short cache lifetime: verifiers also refetch when they meet an unknown `kid`, so a rotation
   * is picked up at once, and a retired key disappears within minutes of its last token expiring.
   */
  @Public()
  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300, stale-while-revalidate=60')
  @ApiOperation({ summary: 'Public keys that verify access tokens (JWKS, ES256)' })
  @ApiOkResponse({ type: JwksDto })
  jwks(): JwksDto {
    return this.keys.jwks();
  }
}
