// What a host process needs to run the notifications queue processors (services/workers does);
// everything else of this package is private to it.
export {
  NotificationProcessorsModule,
  deliveryMongoHealth,
} from './processors/notification-processors.module';
export {
  type NotificationProcessorsSettings,
  notificationProcessorsEnv,
} from './processors/processors.config';
