import { type NotificationChannel, NotificationStatus } from '@commerce/contracts';
import { Logger } from '@nestjs/common';
import type { Model } from 'mongoose';
import type { NotificationDocument } from '../notifications/notification.schema';
import type { ChannelSender } from './channel-sender';
import type { DeliveryDocument } from './delivery.schema';
import { isDuplicateKey } from '../database/duplicate-key';

/**
 * The development provider of SMS and push: records what would be sent in the `deliveries`
 * collection (and the log) and marks the notification SENT. A real provider replaces it behind the
 * same ChannelSender interface.
 */
export class DevDeliveryChannel implements ChannelSender {
  private readonly logger: Logger;

  constructor(
    readonly channel: NotificationChannel,
    private readonly deliveries: Model<DeliveryDocument>,
    private readonly notifications: Model<NotificationDocument>,
  ) {
    this.logger = new Logger(`DevDelivery:${channel}`);
  }

  async dispatch(notification: NotificationDocument): Promise<boolean> {
    try {
      await this.deliveries.create({
        _id: notification._id,
        channel: this.channel,
        to: notification.to,
        subject: notification.subject,
        text: notification.text,
        createdAt: new Date(),
      });
      this.logger.log(`would send to ${notification.to}: ${notification.subject}`);
    } catch (error) {
      // Recorded by an earlier hand-over of the same notification.
      if (!isDuplicateKey(error)) throw error;
    }
    await this.notifications
      .updateOne(
        { _id: notification._id, status: NotificationStatus.QUEUED },
        {
          $set: { status: NotificationStatus.SENT, sentAt: new Date(), lastError: null },
          $inc: { attempts: 1 },
        },
      )
      .exec();
    return true;
  }
}
