import type { ServiceCaller } from '@commerce/service-client';
import { createAnalyticsActivities } from './analytics.activities';
import { createInventoryActivities } from './inventory.activities';
import { createNotificationActivities } from './notifications.activities';
import { createOrderActivities } from './orders.activities';
import { createPaymentActivities } from './payments.activities';
import type { CheckoutActivities } from './types';

/** The clients the activities call, one per service (e.g. from `createServiceClients`). */
export interface ActivityDeps {
  products: ServiceCaller;
  payments: ServiceCaller;
  orders: ServiceCaller;
  notifications: ServiceCaller;
  /** The analytics service (analytics events). */
  analytics: ServiceCaller;
}

/**
 * Every checkout activity, for a worker (or a test) that runs them all. Production workers run one
 * domain each, on its own task queue, with the per-domain factories.
 */
export function createActivities(deps: ActivityDeps): CheckoutActivities {
  return {
    ...createInventoryActivities(deps.products),
    ...createPaymentActivities(deps.payments),
    ...createOrderActivities(deps.orders),
    ...createNotificationActivities(deps.notifications),
    ...createAnalyticsActivities(deps.analytics),
  };
}
