import { NotificationChannel, NotificationStatus, QueueName } from '@commerce/contracts';
import { InjectConfig } from '@commerce/nest-kit';
import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { NotificationsConfig } from '../config';
import {
  NOTIFICATION_MODEL,
  type NotificationDocument,
} from '../notifications/notification.schema';
import type { ChannelSender } from './channel-sender';
import { emailJobId } from './email-job-id';
import { EmailQueue } from './email-queue';

/**
 * Email goes through the `email` queue; the email processor (src/delivery) sends it and marks the notification
 * SENT or FAILED. Handing one notification over twice is harmless: the job id comes from its
 * idempotency key, and BullMQ keeps one job per id.
 */
@Injectable()
export class EmailChannel implements ChannelSender {
  readonly channel = NotificationChannel.EMAIL;
  private readonly logger = new Logger(EmailChannel.name);

  constructor(
    private readonly email: EmailQueue,
    @InjectModel(NOTIFICATION_MODEL) private readonly notifications: Model<NotificationDocument>,
    @InjectConfig() private readonly config: NotificationsConfig,
  ) {}

  async dispatch(
    notification: NotificationDocument,
    { redispatch }: { redispatch: boolean },
  ): Promise<boolean> {
    const jobId = emailJobId(notification.idempotencyKey);
    const queue = this.email.queue;
    if (redispatch) {
      const job = await queue.getJob(jobId);
      const state = job ? await job.getState() : undefined;
      if (job && state === 'failed') {
        // The job gave up without marking the notification (e.g. its workers kept dying), or the
        // final mark was lost. One more try, unless it has had plenty already.
        if (notification.attempts >= 2 * this.config.EMAIL_ATTEMPTS) {
          await this.giveUp(notification, job.failedReason);
          return true;
        }
        await job.retry('failed');
        this.logger.warn(`email ${notification._id}: retrying its failed job ${jobId}`);
        return true;
      }
      // Finished but the notification still QUEUED: a mark was lost; run it again.
      if (job && state === 'completed') await job.remove();
      // Waiting, delayed or active: it will run (or is running).
      else if (job && state !== 'unknown') return false;
    }
    await queue.add(QueueName.email, { notificationId: notification._id }, { jobId });
    return true;
  }

  private async giveUp(notification: NotificationDocument, reason: string | undefined) {
    await this.notifications
      .updateOne(
        { _id: notification._id, status: NotificationStatus.QUEUED },
        {
          $set: {
            status: NotificationStatus.FAILED,
            lastError: `gave up after ${notification.attempts} attempts: ${reason ?? 'unknown'}`,
          },
        },
      )
      .exec();
    this.logger.warn(`email ${notification._id}: gave up after ${notification.attempts} attempts`);
  }
}
