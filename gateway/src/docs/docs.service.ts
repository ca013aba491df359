import { InjectConfig, ROOT_LOGGER } from '@commerce/nest-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { type GatewayConfig, upstreamTargets } from '../config';
import { describeError } from '../proxy/upstream-errors';
import { API_PREFIX, resolveRoute } from '../routing/route-table';
import { gatewayDocument } from './gateway-document';
import { describeEdge } from './edge-security';
import { type OpenApiDocument, type UpstreamDocument, mergeOpenApi } from './openapi-merge';

/** Version of the public API document. */
export const API_VERSION = '0.1.0';

// While a service is missing from the document, ask again sooner than DOCS_REFRESH_MS.
const INCOMPLETE_REFRESH_MS = 5000;

/**
 * The public OpenAPI document: the gateway's own part merged with each enabled service's
 * `/docs-json`. Built on demand and reused for DOCS_REFRESH_MS; concurrent requests share one
 * build; a service that does not answer is left out with a note rather than failing the document.
 */
@Injectable()
export class DocsService {
  private cached: { document: OpenApiDocument; expiresAt: number } | undefined;
  private building: Promise<OpenApiDocument> | undefined;

  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async document(options: { refresh?: boolean } = {}): Promise<OpenApiDocument> {
    if (!options.refresh && this.cached && Date.now() < this.cached.expiresAt) {
      return this.cached.document;
    }
    this.building ??= this.build().finally(() => {
      this.building = undefined;
    });
    return this.building;
  }

  private async build(): Promise<OpenApiDocument> {
    const upstreams = await Promise.all(
      upstreamTargets(this.config).map((target) => this.fetchDocument(target.name, target.baseUrl)),
    );
    const document = describeEdge(
      mergeOpenApi({
        base: gatewayDocument(API_VERSION),
        upstreams,
        pathPrefix: API_PREFIX,
        routes: (service, publicPath) => {
          const route = resolveRoute('GET', publicPath);
          return route.kind === 'upstream' && route.service === service;
        },
      }),
    );
    const complete = upstreams.every((upstream) => 'document' in upstream);
    const ttl = complete
      ? this.config.DOCS_REFRESH_MS
      : Math.min(this.config.DOCS_REFRESH_MS, INCOMPLETE_REFRESH_MS);
    this.cached = { document, expiresAt: Date.now() + ttl };
    return document;
  }

  private async fetchDocument(service: string, baseUrl: string): Promise<UpstreamDocument> {
    const url = `${baseUrl}/docs-json`;
    try {
      const res = await fetch(url, {
        signal: AbortSignal.timeout(this.config.DOCS_FETCH_TIMEOUT_MS),
        headers: { accept: 'application/json' },
      });
      if (!res.ok) {
        await res.body?.cancel();
        return { service, error: `GET ${url} answered ${res.status}` };
      }
      const document: unknown = await res.json();
      if (!isOpenApiDocument(document)) {
        return { service, error: `GET ${url} did not return an OpenAPI 3 document` };
      }
      return { service, document };
    } catch (error) {
      const reason = describeError(error);
      this.logger.warn({ service, url, reason }, `docs: ${service} left out of /docs-json`);
      return { service, error: `GET ${url} failed: ${reason}` };
    }
  }
}

function isOpenApiDocument(value: unknown): value is OpenApiDocument {
  if (typeof value !== 'object' || value === null) return false;
  const doc = value as Record<string, unknown>;
  return (
    typeof doc.openapi === 'string' &&
    doc.openapi.startsWith('3.') &&
    typeof doc.paths === 'object' &&
    doc.paths !== null
  );
}
