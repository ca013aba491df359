import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckoutActivities } from '@commerce/contracts';
import { TaskQueue } from '@commerce/contracts';
import { connectTestTemporal, quietTemporalRuntime } from '@commerce/testing';
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

export function bundleFromSource(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflows({
    workflowsPath: join(REPO_ROOT, 'workflows', 'src', 'index.ts'),
    aliases: sourceAliases(),
    logger: new DefaultLogger('WARN'),
  });
}

/**
 * The checkout workflow on the real dev server with the given activities: one worker for the
 * workflow queue and one per activity queue, exactly as production splits them.
 */
export async function startCheckoutWorkers(
  activities: CheckoutActivities,
): Promise<{ env: TestWorkflowEnvironment; stop: () => Promise<void> }> {
  quietTemporalRuntime();
  const env = await connectTestTemporal();
  const workflowBundle = await bundleFromSource();
  const connection = env.nativeConnection;
  const workers = await Promise.all([
    Worker.create({ connection, taskQueue: TaskQueue.checkout, workflowBundle }),
    ...[TaskQueue.inventory, TaskQueue.payments, TaskQueue.orders, TaskQueue.notifications].map(
      (taskQueue) => Worker.create({ connection, taskQueue, activities }),
    ),
  ]);
  const running = Promise.all(workers.map((worker) => worker.run()));
  return {
    env,
    stop: async () => {
      for (const worker of workers) worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}
