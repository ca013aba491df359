import { TestWorkflowEnvironment } from '@temporalio/testing';
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
