/**
 * The benchmark's baseline: a workflow with as many sequential no-op activities as a paid checkout
 * runs (three status moves, reserve, charge, confirm, commit, notify), on the same dev server.
 */
import { proxyActivities } from '@temporalio/workflow';

export interface NoopActivities {
  noop(step: number): Promise<number>;
}

const { noop } = proxyActivities<NoopActivities>({
  startToCloseTimeout: '10s',
  retry: { maximumAttempts: 3 },
});

export const CHECKOUT_ACTIVITY_COUNT = 8;

export async function bareWorkflow(steps: number): Promise<number> {
  let done = 0;
  for (let step = 0; step < steps; step++) done += await noop(step);
  return done;
}
