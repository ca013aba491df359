/**
 * The benchmark's baseline: a workflow with the same sequence of no-op activities as a paid
 * checkout runs, on the same dev server. The checkout's records in the orders service are local
 * activities (patch LOCAL_ORDER_RECORDS), so the baseline's matching steps are local too: set
 * RESERVING, reserve, set CHARGING, authorise, capture, set CONFIRMING, commit, confirm, then the
 * notification and the analytics event. The last two run after the order reads COMPLETED, so a
 * customer does not wait for them, but every checkout costs them (issue 16: the baseline keeps
 * the same number of activities as the real checkout); until 2026-12-08 the baseline stopped at
 * confirm, eight steps.
 */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';

export interface NoopActivities {
  noop(step: number): Promise<number>;
}

export type StepKind = 'activity' | 'local';

const options = { startToCloseTimeout: '10s', retry: { maximumAttempts: 3 } } as const;
const { noop } = proxyActivities<NoopActivities>(options);
const local = proxyLocalActivities<NoopActivities>(options);

export const CHECKOUT_STEPS: readonly StepKind[] = [
  'local',
  'activity',
  'local',
  'activity',
  'activity',
  'local',
  'activity',
  'local',
  'activity',
  'activity',
];
export const CHECKOUT_ACTIVITY_COUNT = CHECKOUT_STEPS.length;
export const CHECKOUT_LOCAL_ACTIVITY_COUNT = CHECKOUT_STEPS.filter((s) => s === 'local').length;

export async function bareWorkflow(steps: readonly StepKind[]): Promise<number> {
  let done = 0;
  for (const [step, kind] of steps.entries()) {
    done += await (kind === 'local' ? local.noop(step) : noop(step));
  }
  return done;
}
