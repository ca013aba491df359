import type { FastifyReply, FastifyRequest } from 'fastify';
import { BOARD_PATH } from '../board/board-session';
import { CSRF_HEADER, csrfMatches, readSession, withoutConsoleCookies } from './console-cookies';
import { fromOwnOrigin } from './console-origin';

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Turns the console's session cookie into the operator's own `Authorization: Bearer` on /api
 * requests, so the edge check, the rate limits and every service's role check and actor records
 * apply exactly as for a token sent by hand. The cookie counts only when the request carries no
 * Authorization header, comes from the gateway's own origin and, unless it is a safe method,
 * echoes the session's CSRF token in `x-csrf-token`; otherwise it is a 403 before anything but the
 * per-address limit runs (which counts it: ConsoleModule registers this hook after that one). The
 * console's cookies are removed before the request is relayed.
 */
export function consoleAuthHook(
  request: FastifyRequest,
  reply: FastifyReply,
  done: (error?: Error) => void,
): void {
  const path = (request.raw.url ?? request.url).split('?')[0] ?? '';
  const onApi = path.startsWith('/api/');
  // Bull Board keeps its own cookie (board-session.ts).
  const onBoard = path === BOARD_PATH || path.startsWith(`${BOARD_PATH}/`);
  const cookieHeader = request.headers.cookie;
  if (!onApi || onBoard || cookieHeader === undefined) return done();
  const session = readSession(cookieHeader);
  if (!session) return done();
  const rest = withoutConsoleCookies(cookieHeader);
  if (rest) request.headers.cookie = rest;
  else delete request.headers.cookie;
  // An explicit token wins; the cookie then carries no authority at all.
  if (request.headers.authorization !== undefined) return done();

  if (!fromOwnOrigin(request)) {
    return refuse(request, reply, 'The console session is only valid from its own origin');
  }
  if (!SAFE_METHODS.has(request.method) && !csrfMatches(session, request.headers[CSRF_HEADER])) {
    return refuse(request, reply, `Missing or wrong ${CSRF_HEADER} for the console session`);
  }
  request.headers.authorization = `Bearer ${session.accessToken}`;
  done();
}

/** 403 in the shared error shape (ErrorResponseDto); nothing behind the gateway is asked. */
function refuse(request: FastifyRequest, reply: FastifyReply, message: string): void {
  void reply.code(403).header('cache-control', 'no-store').send({
    statusCode: 403,
    error: 'Forbidden',
    code: 'CSRF_REJECTED',
    message,
    requestId: request.id,
  });
}
