import { StandInServer, json } from '@commerce/testing';
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

export { json } from '@commerce/testing';

/** What a stand-in upstream saw of one request. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly bodyLength: number;
  readonly bodySha256: string;
  readonly body: string;
}

/**
 * A service behind the gateway. Every request is recorded; routes registered with `on()` answer,
 * everything else gets an echo of what arrived. It always serves `/health/live` (unless
 * `healthy = false`) and, when given one, `/docs-json`.
 */
export class StandInUpstream extends StandInServer {
  readonly requests: SeenRequest[] = [];
  healthy = true;

  constructor(private readonly options: { docs?: object; bodyLimit?: number } = {}) {
    super();
  }

  /** Requests other than the gateway's own probes (health, docs). */
  get calls(): SeenRequest[] {
    return this.requests.filter((r) => !r.url.startsWith('/health') && r.url !== '/docs-json');
  }

  protected override handle(req: IncomingMessage, res: ServerResponse, body: Buffer) {
    const url = req.url ?? '';
    const tooLarge = this.options.bodyLimit !== undefined && body.length > this.options.bodyLimit;
    this.requests.push({
      method: req.method ?? '',
      url,
      headers: req.headers,
      bodyLength: body.length,
      bodySha256: sha256(body),
      body: tooLarge ? '' : body.toString('utf8'),
    });
    const path = url.split('?')[0] ?? '';
    if (tooLarge) {
      return json(res, 413, {
        statusCode: 413,
        error: 'Payload Too Large',
        message: `Request body exceeds the limit of ${this.options.bodyLimit} bytes`,
        code: 'PAYLOAD_TOO_LARGE',
        requestId: req.headers['x-request-id'],
      });
    }
    if (path === '/health/live') {
      return json(res, this.healthy ? 200 : 503, { status: this.healthy ? 'ok' : 'error' });
    }
    if (path === '/docs-json' && this.options.docs) return json(res, 200, this.options.docs);
    return super.handle(req, res, body);
  }

  protected override unrouted(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    json(res, 200, {
      method: req.method,
      url: req.url,
      headers: req.headers,
      bodyLength: body.length,
      bodySha256: sha256(body),
    });
  }
}

const sha256 = (body: Buffer) => createHash('sha256').update(body).digest('hex');

/** A minimal OpenAPI document as a Nest service would serve at /docs-json. */
export function standInDocs(
  title: string,
  paths: Record<string, unknown>,
  schemas: Record<string, unknown> = {},
): object {
  return {
    openapi: '3.0.0',
    info: { title, version: '1.0.0' },
    paths,
    // What the kit's setupOpenApi (DocumentBuilder.addBearerAuth) declares.
    components: {
      schemas,
      securitySchemes: { bearer: { scheme: 'bearer', bearerFormat: 'JWT', type: 'http' } },
    },
  };
}
