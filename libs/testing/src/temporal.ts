import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { toolBinary } from '@commerce/tools';
import { testEndpoints } from './endpoints';

/**
 * A test environment on the dev server the harness started. The SDK's own `createLocal` would
 * download a server binary and give up after 5 s; this reuses the real one.
 */
export function connectTestTemporal(namespace = 'default'): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createFromExistingServer({
    address: testEndpoints.temporalAddress,
    namespace,
  });
}

/**
 * Workers log every state change at INFO; tests want warnings only. Runtime options can be set
 * once, before anything uses the SDK runtime in this module registry (Jest gives each test file
 * its own), so call this first in a test file that creates Workers.
 */
export function quietTemporalRuntime(): void {
  if (Runtime._instance) return;
  Runtime.install({ logger: new DefaultLogger('WARN') });
}

/** The `temporal` CLI the tools script built (operators' tool; tests use it as operators do). */
export function temporalCli(): string {
  return toolBinary('temporal');
}
