import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckoutActivities } from '@commerce/contracts';
import { TaskQueue, taskQueueName } from '@commerce/contracts';
import {
  connectTestTemporal,
  createCheckoutWorkers,
  quietTemporalRuntime,
  uniqueName,
} from '@commerce/testing';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
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
 * The checkout workflow on the real dev server with the given activities, its workers split as in
 * production (createCheckoutWorkers) on queues of this run's own prefix. Start workflows on
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
  const workers = await createCheckoutWorkers({ connection, workflowBundle, activities, prefix });
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
