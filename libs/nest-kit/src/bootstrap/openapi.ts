import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export interface OpenApiOptions {
  readonly title: string;
  readonly description?: string;
  readonly version?: string;
}

/** Swagger UI at `/docs`, the OpenAPI document at `/docs-json` (and `/docs-yaml`). */
export function setupOpenApi(app: INestApplication, options: OpenApiOptions): void {
  const builder = new DocumentBuilder()
    .setTitle(options.title)
    .setVersion(options.version ?? '1.0.0')
    .addBearerAuth();
  if (options.description) builder.setDescription(options.description);
  const document = builder.build();
  // Built on first request rather than at boot: most processes never serve it.
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, document), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}
