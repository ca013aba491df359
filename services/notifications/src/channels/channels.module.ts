import { NotificationChannel } from '@commerce/contracts';
import { Module } from '@nestjs/common';
import { MongooseModule, getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import {
  NOTIFICATION_MODEL,
  type NotificationDocument,
  NotificationSchema,
} from '../notifications/notification.schema';
import { CHANNEL_SENDERS, type ChannelSender } from './channel-sender';
import { DELIVERY_MODEL, type DeliveryDocument, DeliverySchema } from './delivery.schema';
import { DevDeliveryChannel } from './dev-delivery.channel';
import { EmailChannel } from './email.channel';
import { EmailQueue } from './email-queue';

/** Every delivery channel behind ChannelSender, provided as one list (CHANNEL_SENDERS). */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: NOTIFICATION_MODEL, schema: NotificationSchema },
      { name: DELIVERY_MODEL, schema: DeliverySchema },
    ]),
  ],
  providers: [
    EmailQueue,
    EmailChannel,
    {
      provide: CHANNEL_SENDERS,
      inject: [EmailChannel, getModelToken(DELIVERY_MODEL), getModelToken(NOTIFICATION_MODEL)],
      useFactory: (
        email: EmailChannel,
        deliveries: Model<DeliveryDocument>,
        notifications: Model<NotificationDocument>,
      ): ChannelSender[] => [
        email,
        new DevDeliveryChannel(NotificationChannel.SMS, deliveries, notifications),
        new DevDeliveryChannel(NotificationChannel.PUSH, deliveries, notifications),
      ],
    },
  ],
  exports: [CHANNEL_SENDERS, EmailQueue],
})
export class ChannelsModule {}
