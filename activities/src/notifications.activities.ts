import type { SendNotificationRequest } from '@commerce/contracts';
import type { ServiceCaller } from '@commerce/service-client';
import { callService } from './call-service';
import type { NotificationActivities, NotifyCustomerInput } from './types';

/** One notification per order and template, whatever the number of attempts. */
export const notificationKey = (template: string, orderId: string) => `${template}:${orderId}`;

/**
 * Customer notifications through the notifications service (task queue `notifications`). The
 * service delivers (through its email queue); the activity only records the request, idempotently.
 */
export function createNotificationActivities(notifications: ServiceCaller): NotificationActivities {
  return {
    async notifyCustomer(input: NotifyCustomerInput & { locale?: string }): Promise<void> {
      const key = notificationKey(input.template, input.orderId);
      const body: SendNotificationRequest = {
        userId: input.customerId,
        channel: 'email',
        template: input.template,
        to: input.email,
        data: input.data,
        idempotencyKey: key,
        ...(input.locale ? { locale: input.locale } : {}),
      };
      await callService({
        activity: 'notifyCustomer',
        client: notifications,
        input,
        method: 'POST',
        path: '/internal/notifications',
        body,
        idempotencyKey: key,
      });
    },
  };
}
