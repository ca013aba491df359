import type { NotificationChannel } from '@commerce/contracts';
import type { NotificationDocument } from '../notifications/notification.schema';

/**
 * One delivery channel. `dispatch` hands a stored QUEUED notification over for delivery and may
 * be called again for the same notification (a repeated request, the requeue sweep): every
 * implementation must make a repeat harmless.
 */
export interface ChannelSender {
  readonly channel: NotificationChannel;
  /**
   * `redispatch` is true when the notification was handed over before (or may have been): the
   * sender then checks what became of the earlier hand-over instead of assuming it is new.
   * Resolves to false when an earlier hand-over is still under way and nothing was done.
   */
  dispatch(notification: NotificationDocument, options: { redispatch: boolean }): Promise<boolean>;
}

/** Injection token of the list of every ChannelSender. */
export const CHANNEL_SENDERS = Symbol('CHANNEL_SENDERS');
