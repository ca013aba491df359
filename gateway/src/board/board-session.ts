import { Role } from '@commerce/contracts';
import { AuthErrors, JwtVerifier, Public } from '@commerce/nest-kit';
import {
  Controller,
  Delete,
  Get,
  HttpCode,
  Module,
  type OnModuleInit,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Bull Board's public path (the workers' /admin/queues behind /api). */
export const BOARD_PATH = '/api/admin/queues';
export const BOARD_COOKIE = 'commerce_board';
const BOARD_ROLES: readonly Role[] = [Role.ADMIN, Role.SUPER_ADMIN];

/** The board cookie's token, if the request carries one. */
export function boardCookieToken(cookieHeader: string | undefined): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === BOARD_COOKIE && value.length > 0) return value.join('=') || undefined;
  }
  return undefined;
}

const LOGIN_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Queues: sign in</title>
<meta name="robots" content="noindex"></head>
<body style="font-family:sans-serif;max-width:40rem;margin:3rem auto">
<h1>Bull Board</h1>
<p>Paste an admin access token (<code>accessToken</code> from <code>POST /api/auth/login</code>).
It is kept in an HttpOnly cookie for this board only, until the token expires.</p>
<form id="f"><textarea id="t" rows="6" style="width:100%" required></textarea>
<p><button>Open the board</button> <span id="e" style="color:#b00"></span></p></form>
<script>
document.getElementById('f').addEventListener('submit', async (event) => {
  event.preventDefault();
  const token = document.getElementById('t').value.trim();
  const res = await fetch('session', { method: 'POST', headers: { authorization: 'Bearer ' + token } });
  if (res.ok) { location.href = './'; return; }
  const body = await res.json().catch(() => ({}));
  document.getElementById('e').textContent = body.message || res.statusText;
});
</script></body></html>`;

/**
 * A browser cannot attach an Authorization header to page loads, so Bull Board (an HTML app
 * served by the workers through this gateway) gets a cookie instead:
 * `POST /api/admin/queues/session` with an admin token sets it (HttpOnly, SameSite=Strict, only
 * for the board's path, expiring with the token), and an early hook turns it back into the
 * Authorization header on board requests only. From there the usual edge check, rate limit and the
 * workers' own check apply unchanged; a revoked token stops working at once. Elsewhere cookies
 * carry no authority.
 */
@ApiExcludeController()
@Controller('api/admin/queues')
export class BoardSessionController implements OnModuleInit {
  constructor(
    private readonly verifier: JwtVerifier,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', (request, _reply, done) => {
      const path = request.url.split('?')[0] ?? '';
      const onBoard = path === BOARD_PATH || path.startsWith(`${BOARD_PATH}/`);
      const token = onBoard ? boardCookieToken(request.headers.cookie) : undefined;
      if (token && !request.headers.authorization) {
        request.headers.authorization = `Bearer ${token}`;
      }
      done();
    });
  }

  @Public()
  @Get('login')
  login(@Res() reply: FastifyReply): void {
    void reply
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(LOGIN_PAGE);
  }

  @Public()
  @Post('session')
  @HttpCode(204)
  async open(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const user = await this.verifier.verifyRequest(request);
    if (!user.roles.some((role) => BOARD_ROLES.includes(role))) {
      throw AuthErrors.forbidden(BOARD_ROLES);
    }
    const token = (request.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
    const maxAge = Math.max(0, user.exp - Math.floor(Date.now() / 1000));
    void reply
      .header('set-cookie', cookie(token, maxAge, request.protocol === 'https'))
      .code(204)
      .send();
  }

  @Public()
  @Delete('session')
  @HttpCode(204)
  close(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    void reply
      .header('set-cookie', cookie('', 0, request.protocol === 'https'))
      .code(204)
      .send();
  }
}

function cookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  const attributes = [
    `${BOARD_COOKIE}=${value}`,
    `Path=${BOARD_PATH}`,
    `Max-Age=${maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Strict',
  ];
  if (secure) attributes.push('Secure');
  return attributes.join('; ');
}

@Module({ controllers: [BoardSessionController] })
export class BoardSessionModule {}
