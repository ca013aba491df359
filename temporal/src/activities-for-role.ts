import {
  createAnalyticsActivities,
  createInventoryActivities,
  createNotificationActivities,
  createOrderActivities,
  createPaymentActivities,
} from '@commerce/activities';
import { TaskQueue } from '@commerce/contracts';
import { createServiceClients } from '@commerce/service-client';
import type { WorkerConfig, WorkerRole } from './config';

/**
 * The activities one role's worker registers: only its own domain's, built on a client of that
 * domain's service, so an inventory worker cannot run a charge and needs no payments URL.
 */
export function activitiesFor(role: Exclude<WorkerRole, 'checkout'>, config: WorkerConfig): object {
  const { clients } = createServiceClients({
    auth: {
      url: config.AUTH_URL,
      clientId: config.SERVICE_CLIENT_ID,
      clientSecret: config.SERVICE_CLIENT_SECRET,
    },
    services: {
      products: config.PRODUCTS_URL,
      orders: config.ORDERS_URL,
      payments: config.PAYMENTS_URL,
      notifications: config.NOTIFICATIONS_URL,
      analytics: config.ANALYTICS_URL,
    },
    timeoutMs: config.SERVICE_TIMEOUT_MS,
    userAgent: `commerce-temporal-worker/${role}`,
  });
  switch (role) {
    case TaskQueue.inventory:
      return createInventoryActivities(clients.products);
    case TaskQueue.payments:
      return createPaymentActivities(clients.payments);
    case TaskQueue.orders:
      return createOrderActivities(clients.orders);
    case TaskQueue.notifications:
      return {
        ...createNotificationActivities(clients.notifications),
        // Checkouts started before recordOrderOutcome moved to the analytics queue (patch
        // ANALYTICS_QUEUE in the workflow) still schedule it here: kept until none is running.
        ...createAnalyticsActivities(clients.analytics),
      };
    case TaskQueue.analytics:
      return createAnalyticsActivities(clients.analytics);
  }
}
