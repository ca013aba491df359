import {
  consoleSchemas,
  consoleSecurityScheme,
  consoleSessionPaths,
} from '../console/console-document';
import type { OpenApiDocument } from './openapi-merge';

const healthReport = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok', 'error', 'shutting_down'] },
    info: {
      type: 'object',
      additionalProperties: { $ref: '#/components/schemas/HealthIndicator' },
    },
    error: {
      type: 'object',
      additionalProperties: { $ref: '#/components/schemas/HealthIndicator' },
    },
    details: {
      type: 'object',
      additionalProperties: { $ref: '#/components/schemas/HealthIndicator' },
    },
  },
  required: ['status', 'info', 'error', 'details'],
};

const json = (ref: string) => ({
  'application/json': { schema: { $ref: `#/components/schemas/${ref}` } },
});

/**
 * The gateway's own part of the public document: what it serves itself (health, the document)
 * and what every proxied route may answer on the gateway's behalf. Written out rather than
 * scanned: the catch-all proxy would otherwise be its only "route".
 */
export function gatewayDocument(version: string): OpenApiDocument {
  return {
    openapi: '3.0.0',
    info: {
      title: 'Commerce API',
      version,
      license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
      description: [
        'Public API of the commerce backend, served through the gateway: every service route ' +
          'appears here under /api, merged from the services’ own documents.',
        '',
        'Besides a service’s own answers, any route under /api may get these from the gateway: ' +
          '401 TOKEN_MISSING / TOKEN_INVALID / TOKEN_EXPIRED / TOKEN_REVOKED (routes that need ' +
          'a token), 404 NOT_FOUND (no such route), 429 TOO_MANY_REQUESTS with Retry-After, ' +
          '502/503 UPSTREAM_UNAVAILABLE, 504 UPSTREAM_TIMEOUT, all in the shared error shape ' +
          '(ErrorResponseDto).',
      ].join('\n'),
    },
    tags: [
      { name: 'health', description: 'Readiness and liveness of the gateway' },
      { name: 'console', description: 'The operator console’s cookie session (/admin)' },
    ],
    paths: {
      '/health': {
        get: {
          tags: ['health'],
          operationId: 'gateway_health',
          summary: 'Readiness: Redis and every enabled service answer',
          responses: {
            '200': { description: 'Ready', content: json('HealthReport') },
            '503': { description: 'A dependency is down', content: json('HealthReport') },
          },
        },
      },
      '/health/live': {
        get: {
          tags: ['health'],
          operationId: 'gateway_liveness',
          summary: 'Liveness: the gateway process serves HTTP',
          responses: { '200': { description: 'Alive', content: json('HealthReport') } },
        },
      },
      ...consoleSessionPaths,
    },
    components: {
      schemas: {
        HealthIndicator: {
          type: 'object',
          properties: {
            status: { type: 'string', enum: ['up', 'down'] },
            message: { type: 'string' },
            responseTimeMs: { type: 'number' },
          },
          required: ['status'],
        },
        HealthReport: healthReport,
        ...consoleSchemas,
      },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        consoleSession: consoleSecurityScheme,
      },
    },
  };
}
