import { HttpException } from '@nestjs/common';
import { AppError } from './app-error';
import { ErrorCode, codeForStatus, reasonPhrase } from './error-codes';

/** The one error shape every service answers with (DESIGN §5). */
export interface ErrorBody {
  readonly statusCode: number;
  readonly error: string;
  readonly message: string;
  readonly code: string;
  readonly details?: readonly unknown[];
  readonly requestId: string;
}

export interface ErrorResponse {
  readonly status: number;
  readonly body: ErrorBody;
  /** Not an HttpException: a bug or an outage. Log it with its stack; the client sees nothing of it. */
  readonly unexpected: boolean;
}

export interface ErrorResponseOptions {
  readonly requestId: string;
  /**
   * Whether 5xx HttpExceptions keep their message and details (development, test). In production
   * they get the generic reason phrase, since their text often carries upstream or driver errors.
   */
  readonly exposeServerErrors: boolean;
}

const GENERIC_INTERNAL_MESSAGE = 'Internal server error';

/** Maps anything thrown to the status and body the client gets. Pure, so it is easy to test. */
export function buildErrorResponse(
  exception: unknown,
  options: ErrorResponseOptions,
): ErrorResponse {
  const status = exception instanceof HttpException ? exception.getStatus() : 0;
  // A non-error status (e.g. HttpException('moved', 302)) is a programming mistake, not a reply.
  if (!(exception instanceof HttpException) || status < 400 || status > 599) {
    return {
      status: 500,
      unexpected: true,
      body: {
        statusCode: 500,
        error: reasonPhrase(500),
        message: GENERIC_INTERNAL_MESSAGE,
        code: ErrorCode.INTERNAL_ERROR,
        requestId: options.requestId,
      },
    };
  }

  const response = exception.getResponse();
  const fields = isRecord(response) ? response : {};
  const code =
    exception instanceof AppError
      ? exception.code
      : typeof fields.code === 'string' && fields.code.length > 0
        ? fields.code
        : codeForStatus(status);
  let message =
    typeof response === 'string' ? response : (messageOf(fields.message) ?? exception.message);
  let details =
    exception instanceof AppError
      ? exception.details
      : Array.isArray(fields.details)
        ? (fields.details as unknown[])
        : undefined;

  if (status >= 500 && !options.exposeServerErrors) {
    message = status === 500 ? GENERIC_INTERNAL_MESSAGE : reasonPhrase(status);
    details = undefined;
  }

  return {
    status,
    unexpected: false,
    body: {
      statusCode: status,
      error: reasonPhrase(status),
      message,
      code,
      ...(details ? { details } : {}),
      requestId: options.requestId,
    },
  };
}

export interface FrameworkErrorContext {
  /** The body limit in force, for a 413 message that tells the client what it may send. */
  readonly bodyLimit?: number;
  readonly contentType?: string;
}

/**
 * Translates errors raised by Fastify itself (body parsing, content type, URL decoding) into
 * AppErrors with specific codes. Only used for errors that reach Fastify's error handler, never
 * for errors from application code, where a `statusCode` property may describe an upstream reply.
 */
export function fromFrameworkError(
  error: unknown,
  context: FrameworkErrorContext = {},
): AppError | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  switch (code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError({
        status: 400,
        code: ErrorCode.MALFORMED_JSON,
        message: 'Request body is not valid JSON',
        cause: error,
      });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError({
        status: 400,
        code: ErrorCode.MALFORMED_JSON,
        message: 'Request body is empty but Content-Type is application/json',
        cause: error,
      });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError({
        status: 413,
        code: ErrorCode.PAYLOAD_TOO_LARGE,
        message:
          context.bodyLimit === undefined
            ? 'Request body is too large'
            : `Request body exceeds the limit of ${context.bodyLimit} bytes`,
        cause: error,
      });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError({
        status: 415,
        code: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        message: context.contentType
          ? `Content-Type ${sanitizeForMessage(context.contentType)} is not supported`
          : 'Content-Type is not supported',
        cause: error,
      });
  }
  const status = typeof statusCode === 'number' ? statusCode : undefined;
  if (status === undefined || status < 400 || status > 499) return undefined;
  if (error instanceof SyntaxError) {
    // What JSON body parsers throw (e.g. a custom raw-body parser).
    return new AppError({
      status: 400,
      code: ErrorCode.MALFORMED_JSON,
      message: 'Request body is not valid JSON',
      cause: error,
    });
  }
  // Fastify's own client errors (FST_ERR_BAD_URL, FST_ERR_CTP_INVALID_CONTENT_LENGTH, ...) have
  // messages written for clients; anything else only keeps its status.
  const ownMessage = typeof code === 'string' && code.startsWith('FST_');
  return new AppError({
    status,
    code: codeForStatus(status),
    message: ownMessage ? error.message : reasonPhrase(status),
    cause: error,
  });
}

function messageOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join('; ');
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

// Header values are client-controlled; keep them short and printable in what we echo back.
function sanitizeForMessage(value: string): string {
  return JSON.stringify(value.slice(0, 100).replace(/[^\x20-\x7e]/g, '?'));
}
