import { HttpException, HttpStatus } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';

export interface AppErrorOptions {
  /** Stable, machine-readable identifier clients branch on, e.g. `OUT_OF_STOCK`. */
  readonly code: string;
  /** Human-readable explanation; shown to the client unless the status is 5xx in production. */
  readonly message: string;
  /** HTTP status; 4xx for business outcomes the client can act on. Defaults to 400. */
  readonly status?: number;
  /** Structured extras, e.g. the offending fields or the items out of stock. */
  readonly details?: readonly unknown[];
  readonly cause?: unknown;
}

/**
 * The error services throw for expected business outcomes (out of stock, declined, conflict).
 * It extends HttpException so anything in Nest that understands HTTP errors handles it too; the
 * kit's exception filter turns it into the shared error body with its `code` and `details`.
 */
export class AppError extends HttpException {
  override readonly name = 'AppError';
  readonly code: string;
  readonly details: readonly unknown[] | undefined;

  constructor(options: AppErrorOptions) {
    const status = options.status ?? HttpStatus.BAD_REQUEST;
    super(
      {
        statusCode: status,
        error: STATUS_CODES[status] ?? 'Error',
        message: options.message,
        code: options.code,
        ...(options.details ? { details: options.details } : {}),
      },
      status,
      { cause: options.cause },
    );
    this.code = options.code;
    this.details = options.details;
  }
}
