export type * from './types';
export { createActivities, type ActivityDeps } from './create-activities';
export { createInventoryActivities } from './inventory.activities';
export {
  chargeKey,
  chargeOutcome,
  createPaymentActivities,
  refundKey,
} from './payments.activities';
export { alreadyIn, createOrderActivities } from './orders.activities';
export { createNotificationActivities, notificationKey } from './notifications.activities';
export { createAnalyticsActivities } from './analytics.activities';
export { ActivityFailureType } from './failure-types';
export {
  businessFailure,
  decide,
  defaultFailureType,
  refusal,
  type Decision,
  type ErrorRule,
  type RefusalDetails,
  type RuleOutcome,
} from './classify';
export { callTimeoutMs, requestIdFor } from './activity-context';
