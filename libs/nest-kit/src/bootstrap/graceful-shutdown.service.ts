import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { BaseConfig } from '../config/base-config';
import { APP_CONFIG } from '../config/config.tokens';
import { ROOT_LOGGER } from '../logging/logging.tokens';

/**
 * Bounds the drain of in-flight requests. On shutdown Nest closes Fastify, which stops accepting
 * connections, answers 503 to new requests on kept-alive ones and waits for in-flight requests;
 * this arms a timer so a stuck request cannot hold the process past SHUTDOWN_GRACE_MS.
 */
@Injectable()
export class GracefulShutdownService implements BeforeApplicationShutdown, OnApplicationShutdown {
  private forceCloseTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: BaseConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  beforeApplicationShutdown(signal?: string): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server?.listening) return;
    const graceMs = this.config.SHUTDOWN_GRACE_MS;
    this.logger.info({ signal, graceMs }, 'shutting down: draining in-flight requests');
    this.forceCloseTimer = setTimeout(() => {
      this.logger.warn({ graceMs }, 'grace period over: closing the remaining connections');
      server.closeAllConnections();
    }, graceMs);
    // The timer must not keep an otherwise finished process alive.
    this.forceCloseTimer.unref();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.forceCloseTimer);
  }
}
