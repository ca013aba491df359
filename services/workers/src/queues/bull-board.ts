import { Role } from '@commerce/contracts';
import {
  AppError,
  AuthErrors,
  InjectConfig,
  JwtVerifier,
  buildErrorResponse,
} from '@commerce/nest-kit';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import type {
  AppControllerRoute,
  AppViewRoute,
  BullBoardQueues,
  ControllerHandlerReturnType,
  IServerAdapter,
  UIConfig,
} from '@bull-board/api/typings/app';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { WorkersConfig } from '../config';
import { QueueRegistry } from './queue-registry';

/** Where the board answers in this process; the gateway exposes it as /api/admin/queues. */
export const BOARD_ROUTE = '/admin/queues';
const BOARD_ROLES: readonly Role[] = [Role.ADMIN, Role.SUPER_ADMIN];

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/**
 * Bull Board (@bull-board/api and its prebuilt UI) on this process's Fastify, admin-only.
 *
 * Why not @bull-board/fastify (measured with 9.10.1, its latest release): the package itself is
 * CommonJS, but it pins @bull-board/api 9.10.1 (one behind ours) and depends on
 * @fastify/static ^10.1.3, whose content-disposition 3 is ESM-only and, like @fastify/static 10,
 * declares Node >= 22. Under Jest on Node 20 `require('@bull-board/fastify')` fails ("Must use
 * import to load ES Module: content-disposition/dist/index.js"); plain Node 20 loads it only
 * through require(esm), outside the declared engines. Installing it also hoists @fastify/static
 * 10 to the root, where @nestjs/swagger would pick it up in every service (the kit keeps v9 for
 * the same reason: see KitFastifyAdapter.useStaticAssets). Revisit on Node 22.
 * The board needs little from a server: its JSON routes (declared by @bull-board/api), the built
 * UI files, and one HTML page whose template only substitutes variables. This class is that
 * server adapter (IServerAdapter).
 *
 * Every route checks the access token itself (these are plain Fastify routes, outside Nest's
 * guards) and needs ADMIN or SUPER_ADMIN. A browser reaches it through the gateway, which turns its
 * board cookie into the Authorization header (see the gateway's board login).
 */
@Injectable()
export class BullBoard implements IServerAdapter, OnModuleInit {
  private readonly logger = new Logger(BullBoard.name);
  private queues: BullBoardQueues | undefined;
  private viewsPath = '';
  private staticRoute = '/static';
  private staticPath = '';
  private entryRoute: AppViewRoute | undefined;
  private errorHandler: ((error: Error) => ControllerHandlerReturnType) | undefined;
  private apiRoutes: AppControllerRoute[] = [];
  private uiConfig: UIConfig = {};

  constructor(
    @InjectConfig() private readonly config: WorkersConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly verifier: JwtVerifier,
    private readonly registry: QueueRegistry,
  ) {}

  onModuleInit(): void {
    createBullBoard({
      queues: this.registry.all().map((queue) => new BullMQAdapter(queue)),
      serverAdapter: this,
      options: { uiConfig: { boardTitle: 'Commerce queues', hideDocsLink: true } },
    });
    this.register(this.adapterHost.httpAdapter.getInstance<FastifyInstance>());
  }

  // IServerAdapter: createBullBoard hands over what to serve.
  setQueues(queues: BullBoardQueues): this {
    this.queues = queues;
    return this;
  }
  setViewsPath(viewPath: string): this {
    this.viewsPath = viewPath;
    return this;
  }
  setStaticPath(staticsRoute: string, staticsPath: string): this {
    this.staticRoute = staticsRoute;
    this.staticPath = staticsPath;
    return this;
  }
  setEntryRoute(route: AppViewRoute): this {
    this.entryRoute = route;
    return this;
  }
  setErrorHandler(handler: (error: Error) => ControllerHandlerReturnType): this {
    this.errorHandler = handler;
    return this;
  }
  setApiRoutes(routes: AppControllerRoute[]): this {
    this.apiRoutes = routes;
    return this;
  }
  setUIConfig(config: UIConfig): this {
    this.uiConfig = config;
    return this;
  }

  private register(fastify: FastifyInstance): void {
    const preHandler = (request: FastifyRequest, reply: FastifyReply) =>
      this.authorize(request, reply);

    for (const route of this.apiRoutes) {
      for (const path of [route.route].flat()) {
        for (const method of [route.method].flat()) {
          fastify.route({
            method: method.toUpperCase(),
            url: `${BOARD_ROUTE}${path}`,
            preHandler,
            handler: (request, reply) => this.api(route, request, reply),
          });
        }
      }
    }

    fastify.route({
      method: 'GET',
      url: `${BOARD_ROUTE}${this.staticRoute}/*`,
      preHandler,
      handler: (request, reply) =>
        this.serveStatic((request.params as Record<string, string>)['*'] ?? '', reply),
    });

    const entry = this.entryRoute;
    if (!entry) throw new Error('Bull Board gave no entry route');
    const page = { method: 'GET' as const, preHandler, handler: this.page(entry) };
    fastify.route({ ...page, url: BOARD_ROUTE });
    for (const path of [entry.route].flat()) {
      if (path !== '/') fastify.route({ ...page, url: `${BOARD_ROUTE}${path}` });
    }
    fastify.route({ ...page, url: `${BOARD_ROUTE}/` });
  }

  /** 401 without a valid token, 403 without an admin role; the kit's error body either way. */
  private async authorize(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    try {
      const user = await this.verifier.verifyRequest(request);
      if (!user.roles.some((role) => BOARD_ROLES.includes(role))) {
        throw AuthErrors.forbidden(BOARD_ROLES);
      }
    } catch (error) {
      const response = buildErrorResponse(error, {
        requestId: String(request.id),
        exposeServerErrors: this.config.NODE_ENV !== 'production',
      });
      if (response.status === 401) void reply.header('www-authenticate', 'Bearer');
      return reply.code(response.status).send(response.body);
    }
  }

  private async api(route: AppControllerRoute, request: FastifyRequest, reply: FastifyReply) {
    if (!this.queues) throw new Error('Bull Board has no queues');
    try {
      const result = await route.handler({
        queues: this.queues,
        uiConfig: this.uiConfig,
        query: (request.query ?? {}) as Record<string, unknown>,
        params: (request.params ?? {}) as Record<string, unknown>,
        body: (request.body ?? {}) as Record<string, unknown>,
        headers: request.headers as Record<string, string | undefined>,
      });
      return reply.code(result.status ?? 200).send(result.body);
    } catch (error) {
      // Bull Board's own handler phrases the error for its UI; the stack never leaves the process.
      this.logger.warn(`board ${request.method} ${request.url}: ${(error as Error).message}`);
      const answer = this.errorHandler?.(error as Error) ?? { status: 500, body: {} };
      const body = { ...(answer.body as Record<string, unknown>) };
      delete body.details;
      return reply.code(answer.status ?? 500).send(body);
    }
  }

  private page(entry: AppViewRoute) {
    return async (_request: FastifyRequest, reply: FastifyReply) => {
      const view = entry.handler({
        basePath: this.config.BULL_BOARD_BASE_PATH,
        uiConfig: this.uiConfig,
      });
      const template = await readFile(join(this.viewsPath, view.name), 'utf8');
      return reply
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(renderView(template, view.params));
    };
  }

  private async serveStatic(file: string, reply: FastifyReply) {
    const root = normalize(this.staticPath + sep);
    const path = normalize(join(root, file));
    const type = CONTENT_TYPES[extname(path)];
    const found =
      path.startsWith(root) && type ? await stat(path).catch(() => undefined) : undefined;
    if (!found?.isFile()) {
      const error = new AppError({ status: 404, code: 'NOT_FOUND', message: 'No such board file' });
      const response = buildErrorResponse(error, { requestId: '', exposeServerErrors: false });
      return reply.code(404).send({ ...response.body, requestId: String(reply.request.id) });
    }
    return reply
      .header('cache-control', 'public, max-age=3600')
      .type(type ?? 'application/octet-stream')
      .send(createReadStream(path));
  }
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Renders Bull Board's index template, which only substitutes variables: `<%= name %>` escaped for
 * HTML, `<%- name %>` verbatim (the board's JSON config, already escaped by Bull Board for a
 * script tag). A template needing more than that fails loudly rather than rendering wrongly.
 */
export function renderView(template: string, params: Record<string, string>): string {
  const html = template.replace(
    /<%([=-])\s*([A-Za-z_$][\w$]*)\s*%>/g,
    (_match, kind: string, name: string) => {
      const value = params[name];
      if (value === undefined) throw new Error(`board template variable ${name} has no value`);
      return kind === '=' ? value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c) : value;
    },
  );
  if (html.includes('<%')) throw new Error('board template uses more than variable substitution');
  return html;
}
