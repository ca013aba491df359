import type { KitFastifyAdapter } from '@commerce/nest-kit';
import { Injectable, Module, type INestApplication, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';
import { DocsController } from './docs.controller';
import { API_VERSION, DocsService } from './docs.service';
import { gatewayDocument } from './gateway-document';

/**
 * Swagger UI at /docs showing the merged document (fetched when the page loads). The kit's own
 * OpenAPI setup is off for the gateway (`openApi: false`): it documents one app's controllers,
 * while the gateway's document is the services' merged.
 */
@Injectable()
class SwaggerUiSetup implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly docs: DocsService,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter as unknown as KitFastifyAdapter;
    // SwaggerModule.setup needs only these two members of the application for its UI routes.
    const app = {
      getHttpAdapter: () => adapter,
      useStaticAssets: (options: Parameters<KitFastifyAdapter['useStaticAssets']>[0]) => {
        void adapter.useStaticAssets(options);
      },
    } as unknown as INestApplication;
    SwaggerModule.setup('docs', app, () => gatewayDocument(API_VERSION) as OpenAPIObject, {
      // /docs-json is DocsController's (throttled, refreshable); the UI embeds the same document.
      raw: false,
      patchDocumentOnRequest: async () => (await this.docs.document()) as OpenAPIObject,
      customSiteTitle: 'Commerce API',
    });
  }
}

@Module({
  controllers: [DocsController],
  providers: [DocsService, SwaggerUiSetup],
})
export class DocsModule {}
