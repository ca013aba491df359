import { InjectConfig } from '@commerce/nest-kit';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { NotificationsConfig } from '../config';
import { NotificationsService } from './notifications.service';

/**
 * Safety net for notifications stored but never handed over (the process died in between, or
 * Redis was unreachable): at start and then every REQUEUE_INTERVAL_MS, QUEUED notifications older
 * than REQUEUE_AFTER_MS are handed over again, REQUEUE_BATCH_SIZE per sweep (a longer backlog is
 * walked over successive sweeps). For email that is a no-op while the job exists, so
 * several instances sweeping at once do no harm. Never keeps the process alive; shutdown waits
 * for a sweep in progress.
 */
@Injectable()
export class RequeueSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RequeueSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  /** Where the next sweep goes on when the previous one stopped at REQUEUE_BATCH_SIZE. */
  private cursor: Date | undefined;

  constructor(
    private readonly notifications: NotificationsService,
    @InjectConfig() private readonly config: NotificationsConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.tick();
    const interval = this.config.REQUEUE_INTERVAL_MS;
    if (interval <= 0) return;
    this.timer = setInterval(() => void this.tick(), interval);
    this.timer.unref();
  }

  /** One sweep, unless the previous one is still going. */
  tick(): Promise<void> {
    this.running ??= this.notifications
      .requeueStale(this.config.REQUEUE_AFTER_MS, this.config.REQUEUE_BATCH_SIZE, this.cursor)
      .then(({ handedOver, next }) => {
        // A long backlog is walked a batch per tick instead of rechecking its oldest part.
        this.cursor = next;
        if (handedOver > 0) {
          this.logger.warn(`handed over ${handedOver} stale QUEUED notification(s) again`);
        }
      })
      .catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        this.logger.warn(`requeue sweep failed (${reason}); retrying at the next tick`);
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
