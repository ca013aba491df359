import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DocsService } from './docs.service';
import type { OpenApiDocument } from './openapi-merge';

/** The merged document; `?refresh=true` rebuilds it now instead of after DOCS_REFRESH_MS. */
@ApiExcludeController()
@Controller()
export class DocsController {
  constructor(private readonly docs: DocsService) {}

  @Get('docs-json')
  @Header('Cache-Control', 'no-cache')
  document(@Query('refresh') refresh?: string): Promise<OpenApiDocument> {
    return this.docs.document({ refresh: refresh === 'true' || refresh === '1' });
  }
}
