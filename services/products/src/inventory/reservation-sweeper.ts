import { APP_CONFIG } from '@commerce/nest-kit';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { ProductsConfig } from '../config';
import { InventoryService } from './inventory.service';

/**
 * Safety net: releases reservations whose order never released or committed them (a workflow
 * that died without compensating). Runs every RESERVATION_SWEEP_INTERVAL_MS; never keeps the
 * process alive, and shutdown waits for a sweep in progress.
 */
@Injectable()
export class ReservationSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private readonly logger = new Logger(ReservationSweeper.name);

  constructor(
    private readonly inventory: InventoryService,
    @Inject(APP_CONFIG) private readonly config: ProductsConfig,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.config.RESERVATION_SWEEP_INTERVAL_MS;
    if (interval <= 0) return;
    this.timer = setInterval(() => this.tick(), interval);
    this.timer.unref();
  }

  /** One sweep, unless the previous one is still going. */
  tick(): void {
    if (this.running) return;
    this.running = this.inventory
      .sweepExpired()
      .then((released) => {
        if (released > 0) this.logger.log(`released ${released} expired reservation(s)`);
      })
      .catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        this.logger.warn(`reservation sweep failed (${reason}); retrying at the next tick`);
      })
      .finally(() => {
        this.running = undefined;
      });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
