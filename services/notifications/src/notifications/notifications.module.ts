import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ChannelsModule } from '../channels/channels.module';
import { TemplatesModule } from '../templates/templates.module';
import { AdminNotificationsController } from './admin-notifications.controller';
import { InternalNotificationsController } from './internal-notifications.controller';
import { NOTIFICATION_MODEL, NotificationSchema } from './notification.schema';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';
import { RequeueSweeper } from './requeue-sweeper';

@Module({
  imports: [
    MongooseModule.forFeature([{ name: NOTIFICATION_MODEL, schema: NotificationSchema }]),
    TemplatesModule,
    ChannelsModule,
  ],
  controllers: [
    NotificationsController,
    InternalNotificationsController,
    AdminNotificationsController,
  ],
  providers: [NotificationsService, RequeueSweeper],
})
export class NotificationsModule {}
