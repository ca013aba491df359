import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { connectTestTemporal, quietTemporalRuntime, uniqueName } from '../index';
import { createGreetingActivities } from './fixtures/greeting.activities';
import { greetingWorkflow } from './fixtures/greeting.workflow';

describe('Temporal dev server (real server, real Worker)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    quietTemporalRuntime();
    env = await connectTestTemporal();
  });
  afterAll(() => env?.teardown());

  it('runs a workflow with one activity to completion', async () => {
    const taskQueue = uniqueName('proof');
    const calls: string[] = [];
    const worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue,
      workflowsPath: require.resolve('./fixtures/greeting.workflow'),
      activities: createGreetingActivities(calls),
    });

    const workflowId = uniqueName('greeting');
    const result = await worker.runUntil(
      env.client.workflow.execute(greetingWorkflow, { taskQueue, workflowId, args: ['Ada'] }),
    );

    expect(result).toBe('Hello, Ada!');
    expect(calls).toEqual(['Ada']);
    // The server kept the history: the run is closed as completed, not just returned in memory.
    const description = await env.client.workflow.getHandle(workflowId).describe();
    expect(description.status.name).toBe('COMPLETED');
  });
});
