// The activity signatures live in @commerce/contracts, so the workflow (which may import only shared
// code) and these implementations share one definition.
export type {
  ActivityContext,
  AnalyticsActivities,
  ChargeOutcome,
  ChargePaymentInput,
  CheckoutActivities,
  InventoryActivities,
  NotificationActivities,
  NotifyCustomerInput,
  OrderActivities,
  OrderStatusInput,
  PaymentActivities,
  ReserveInventoryInput,
} from '@commerce/contracts';
