import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError, ErrorCode, InjectConfig, Public } from '@commerce/nest-kit';
import fastifyStatic from '@fastify/static';
import { Controller, Get, type OnModuleInit, Req, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayConfig } from '../config';

/** Where the console is served. */
export const CONSOLE_PATH = '/admin';

/**
 * What a console page may load: its own scripts, styles and API only (no inline script, no
 * framing). The shell holds no data; every datum comes from /api with the operator's session.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The built console (admin/dist): CONSOLE_DIR, or the workspace's build next to the gateway. */
export function consoleDir(config: GatewayConfig): string {
  return config.CONSOLE_DIR ?? resolve(__dirname, '../../../admin/dist');
}

/**
 * Serves the console's static build (React, admin/) under /admin through Nest, so the global
 * address rate limit covers it like every other route. @fastify/static does the file work (types,
 * ETags, ranges, no path escapes); the console routes with the URL hash, so only `index.html` and
 * the hashed files under `assets/` exist. The shell is public and holds no data.
 */
@ApiExcludeController()
@Controller(CONSOLE_PATH.slice(1))
export class ConsoleStaticController implements OnModuleInit {
  private readonly root: string;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @InjectConfig() config: GatewayConfig,
  ) {
    this.root = consoleDir(config);
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // `serve: false`: no routes of its own, only `reply.sendFile` for the handlers below.
    void fastify.register(fastifyStatic, { root: this.root, serve: false });
  }

  /** The shell, at `/admin` (its asset URLs are absolute, so no trailing slash is needed). */
  @Public()
  @Get()
  shell(@Res() reply: FastifyReply): void {
    this.send(reply, 'index.html', 'no-store');
  }

  /** `/admin/` is the shell too; nothing else exists (the console routes with the URL hash). */
  @Public()
  @Get('*')
  other(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const path = (request.raw.url ?? request.url).split('?')[0] ?? '';
    if (path !== `${CONSOLE_PATH}/`) {
      throw new AppError({ status: 404, code: ErrorCode.NOT_FOUND, message: `Cannot GET ${path}` });
    }
    this.send(reply, 'index.html', 'no-store');
  }

  @Public()
  @Get('assets/:file')
  asset(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const file = (request.params as { file?: string }).file ?? '';
    // Hashed names: a file never changes under its name.
    this.send(reply, join('assets', file), 'public, max-age=31536000, immutable');
  }

  private send(reply: FastifyReply, file: string, cacheControl: string): void {
    if (!existsSync(join(this.root, 'index.html'))) {
      throw new AppError({
        status: 404,
        code: ErrorCode.NOT_FOUND,
        message: 'The console is not built (npm run build builds admin/)',
      });
    }
    void reply
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('x-frame-options', 'DENY')
      .header('cache-control', cacheControl)
      .sendFile(file, this.root);
  }
}
