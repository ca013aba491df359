import type { ServiceCaller } from '@commerce/service-client';
import { callService } from './call-service';
import type { ActivityContext, AnalyticsActivities } from './types';
import type { OrderOutcomeEvent } from '@commerce/contracts';

/**
 * The checkout's analytics facts through the analytics service (task queue `analytics`), which
 * enqueues each event for its processor with the event's id as job id: a retried activity never
 * counts an order twice.
 */
export function createAnalyticsActivities(analytics: ServiceCaller): AnalyticsActivities {
  return {
    async recordOrderOutcome(input: ActivityContext & { event: OrderOutcomeEvent }): Promise<void> {
      await callService({
        activity: 'recordOrderOutcome',
        client: analytics,
        input,
        method: 'POST',
        path: '/internal/analytics/events',
        body: input.event,
        idempotencyKey: input.event.id,
      });
    },
  };
}
