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
 * Safety net: releases expired reservations whose order ended without releasing or committing
 * them (a checkout that died without compensating), or that no order owns. Runs every
 * RESERVATION_SWEEP_INTERVAL_MS; never keeps the process alive, and shutdown waits for a sweep in
 * progress. While the orders service cannot say which orders ended, nothing is released.
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
      .then(({ released, kept }) => {
        if (released > 0) this.logger.log(`released ${released} expired reservation(s)`);
        // Expired but its checkout is still running (a renewal late, or the original order of
        // steps committing after COMPLETED): kept, and worth a look if it lasts.
        if (kept > 0) this.logger.warn(`kept ${kept} expired reservation(s) of live orders`);
      })
      .catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        // Includes the orders service not answering: fail safe, nothing was released.
        this.logger.warn(
          `reservation sweep failed (${reason}); nothing released, retrying at the next tick`,
        );
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
