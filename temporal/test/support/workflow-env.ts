import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckoutActivities } from '@commerce/contracts';
import { TaskQueue, taskQueueName } from '@commerce/contracts';
import { connectTestTemporal, quietTemporalRuntime, uniqueName } from '@commerce/testing';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { bundleWorkflows } from '../../src/workflow-bundle';

const REPO_ROOT = join(__dirname, '..', '..', '..');

/** tsconfig paths as webpack aliases, so the bundle is built from the sources under test. */
export function sourceAliases(): Record<string, string> {
  const tsconfig = JSON.parse(readFileSync(join(REPO_ROOT, 'tsconfig.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  return Object.fromEntries(
    Object.entries(tsconfig.compilerOptions.paths).map(([alias, [target]]) => [
      alias,
      join(REPO_ROOT, target!),
    ]),
  );
}

export function bundleFromSource(
  interceptorModules?: string[],
): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflows({
    workflowsPath: join(REPO_ROOT, 'workflows', 'src', 'index.ts'),
    aliases: sourceAliases(),
    ...(interceptorModules ? { interceptorModules } : {}),
    logger: new DefaultLogger('WARN'),
  });
}

/**
 * The checkout workflow on the real dev server with the given activities: one worker for the
 * workflow queue and one per activity queue, exactly as production splits them. The queues carry
 * a prefix of this run's own, as a deployment's would, so a developer's running stack on the same
 * dev server never picks up these tasks (nor these workers the stack's). Start workflows on
 * `taskQueue`.
 */
export async function startCheckoutWorkers(activities: CheckoutActivities): Promise<{
  env: TestWorkflowEnvironment;
  taskQueue: string;
  /** The name of `queue` in this run (under its prefix). */
  on: (queue: TaskQueue) => string;
  stop: () => Promise<void>;
}> {
  quietTemporalRuntime();
  const env = await connectTestTemporal();
  const workflowBundle = await bundleFromSource();
  const connection = env.nativeConnection;
  const prefix = `${uniqueName('wf')}.`;
  const on = (queue: TaskQueue) => taskQueueName(queue, prefix);
  const workers = await Promise.all([
    // As in production, the checkout worker runs the workflow's local activities itself.
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
  const running = Promise.all(workers.map((worker) => worker.run()));
  return {
    env,
    taskQueue: on(TaskQueue.checkout),
    on,
    stop: async () => {
      for (const worker of workers) worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}
