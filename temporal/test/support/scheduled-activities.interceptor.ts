/**
 * Workflow-side test interceptor: reports every activity the workflow schedules, with the task
 * queue it asks for (`local` for a local activity), through a sink that is also called during
 * replay. Replay alone compares only an activity's type and id with the history, not its queue;
 * with this, a test sees the queue too.
 * It only observes: it adds no command, so a bundle with it replays exactly as one without.
 */
import {
  proxySinks,
  type Sinks,
  workflowInfo,
  type WorkflowInterceptorsFactory,
} from '@temporalio/workflow';

export interface ScheduledActivitySinks extends Sinks {
  scheduled: { activity(activityType: string, taskQueue: string): void };
}

/** What the sink reports as the queue of a local activity. */
export const LOCAL = 'local';

const { scheduled } = proxySinks<ScheduledActivitySinks>();

export const interceptors: WorkflowInterceptorsFactory = () => ({
  outbound: [
    {
      scheduleActivity(input, next) {
        scheduled.activity(input.activityType, input.options.taskQueue ?? workflowInfo().taskQueue);
        return next(input);
      },
      // A local activity has no queue: it runs in the workflow's own worker.
      scheduleLocalActivity(input, next) {
        scheduled.activity(input.activityType, LOCAL);
        return next(input);
      },
    },
  ],
});
