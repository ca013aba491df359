import { RequestMethod } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { Options as PinoHttpOptions } from 'pino-http';
import type { BaseConfig } from '../config/base-config';
import { resolveRequestId } from '../request-id/request-id';

// Credentials never reach a log line, whichever serializer prints the headers.
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'req.headers["x-api-key"]',
  // A webhook's signature is not a secret, but it is a credential for that one payload.
  'req.headers["stripe-signature"]',
  'res.headers["set-cookie"]',
] as const;

// Probes and scrapes arrive every few seconds; logging each would drown real traffic.
export const QUIET_PATHS: ReadonlySet<string> = new Set(['/health', '/health/live', '/metrics']);

export interface LoggerSettings {
  /** Where JSON lines go; default stdout. Tests pass a stream to read them back. */
  readonly destination?: DestinationStream;
  /**
   * `false`: no pino-http request logging (no per-request logger objects, no AsyncLocalStorage
   * scope per request, which keeps Node's promise hooks on for the whole process), for an app on
   * a hot path that logs its requests itself: the gateway.
   */
  readonly httpRequests?: boolean;
}

/** The root logger: JSON lines with the service name, pretty-printed only in development. */
export function createRootLogger(config: BaseConfig, settings: LoggerSettings = {}): Logger {
  const options: LoggerOptions = {
    level: config.LOG_LEVEL,
    base: { service: config.SERVICE_NAME, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
  };
  if (settings.destination) return pino(withLevelNames(options), settings.destination);
  if (config.NODE_ENV === 'development' && isInstalled('pino-pretty')) {
    return pino({
      ...options,
      transport: {
        target: 'pino-pretty',
        options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
      },
    });
  }
  return pino(withLevelNames(options));
}

// "level":"warn" instead of 40: log pipelines and humans both read names more easily. (Not with a
// transport: pino-pretty does its own formatting.)
function withLevelNames(options: LoggerOptions): LoggerOptions {
  return { ...options, formatters: { level: (label) => ({ level: label }) } };
}

/** pino-http options: request id from the shared resolver, one line per response. */
export function createHttpLoggerOptions(logger: Logger): PinoHttpOptions {
  return {
    logger,
    genReqId: (req: IncomingMessage) => resolveRequestId(req),
    // Every line logged while serving a request carries `requestId`; the full request object is
    // printed once, on the completion line.
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    customSuccessMessage: (req: IncomingMessage, res: ServerResponse, responseTime: number) =>
      `${req.method ?? ''} ${pathOf(req)} ${res.statusCode} ${Math.round(responseTime)}ms`,
    customErrorMessage: (req: IncomingMessage, res: ServerResponse) =>
      `${req.method ?? ''} ${pathOf(req)} ${res.statusCode}`,
    // For a 5xx pino-http invents an Error("failed with status code 500") whose stack points into
    // pino-http; the exception filter already logged the real error under the same request id.
    customErrorObject: (_req, _res, error: Error, loggable: Record<string, unknown>) =>
      error.message.startsWith('failed with status code')
        ? { ...loggable, err: undefined }
        : loggable,
    autoLogging: { ignore: (req: IncomingMessage) => req.method === 'GET' && isQuiet(req) },
  };
}

/** Parameters for nestjs-pino's LoggerModule.forRoot. */
export function createLoggerModuleParams(logger: Logger, settings: LoggerSettings = {}): Params {
  return {
    pinoHttp: createHttpLoggerOptions(logger),
    // Nest 11's path syntax for "every route"; the legacy '*' default logs a deprecation warning.
    forRoutes:
      settings.httpRequests === false ? [] : [{ path: '{*path}', method: RequestMethod.ALL }],
  };
}

function pathOf(req: IncomingMessage): string {
  const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function isQuiet(req: IncomingMessage): boolean {
  return QUIET_PATHS.has(pathOf(req));
}

function isInstalled(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}
