import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

// Short, printable, no spaces or quotes: safe in a header, a log line and a URL. Anything else
// (including a repeated header, which Node joins with ", ") is replaced rather than trusted.
const WELL_FORMED = /^[A-Za-z0-9._:-]{1,128}$/;

export function isWellFormedRequestId(value: unknown): value is string {
  return typeof value === 'string' && WELL_FORMED.test(value);
}

/**
 * The one place a request id is decided. Fastify's `genReqId` and pino-http's `genReqId` both call
 * it with the raw request; it keeps a well-formed incoming `x-request-id` and otherwise writes a
 * fresh UUID into the header, so a second call returns the same id and every consumer (Fastify's
 * request.id, the log lines, the response header, the error body, calls to other services) agrees.
 */
export function resolveRequestId(req: Pick<IncomingMessage, 'headers'>): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  if (isWellFormedRequestId(incoming)) return incoming;
  const id = randomUUID();
  req.headers[REQUEST_ID_HEADER] = id;
  return id;
}
