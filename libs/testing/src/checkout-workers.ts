import { type CheckoutActivities, TaskQueue, taskQueueName } from '@commerce/contracts';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';

/**
 * The checkout's Temporal workers as production splits them, for tests and benches that run the
 * real workflow with activities of their own: one worker for the workflow queue, which runs the
 * workflow's local activities itself, and one per activity queue. The queues carry `prefix`, so
 * a developer's running stack on the same dev server never picks up these tasks (nor these
 * workers the stack's). Start checkouts on `taskQueueName(TaskQueue.checkout, prefix)`.
 */
export function createCheckoutWorkers(options: {
  connection: NativeConnection;
  workflowBundle: NonNullable<WorkerOptions['workflowBundle']>;
  activities: CheckoutActivities;
  prefix: string;
}): Promise<Worker[]> {
  const { connection, workflowBundle, activities, prefix } = options;
  const on = (queue: TaskQueue) => taskQueueName(queue, prefix);
  return Promise.all([
    Worker.create({
      connection,
      taskQueue: on(TaskQueue.checkout),
      workflowBundle,
      activities,
      enableNonLocalActivities: false,
    }),
    ...[
      TaskQueue.inventory,
      TaskQueue.payments,
      TaskQueue.orders,
      TaskQueue.notifications,
      TaskQueue.analytics,
    ].map((queue) => Worker.create({ connection, taskQueue: on(queue), activities })),
  ]);
}
