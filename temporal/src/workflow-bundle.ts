import {
  bundleWorkflowCode,
  type Logger,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';

export interface BundleOptions {
  /** Entry of the workflows; default: the built @commerce/workflows package. */
  workflowsPath?: string;
  /** Module aliases for webpack, e.g. to bundle workspace libraries from source in tests. */
  aliases?: Record<string, string>;
  /** Workflow interceptor modules bundled with the code (tests observe the workflow with one). */
  interceptorModules?: string[];
  logger?: Logger;
}

/**
 * Bundles the workflow code for Temporal's sandbox. Production builds this once, ahead of time
 * (src/build-bundle.ts writes dist/workflows.bundle.js); development and tests may bundle at
 * start instead.
 */
export function bundleWorkflows(options: BundleOptions = {}): Promise<WorkflowBundleWithSourceMap> {
  const aliases = options.aliases ?? {};
  return bundleWorkflowCode({
    workflowsPath: options.workflowsPath ?? require.resolve('@commerce/workflows'),
    webpackConfigHook: (config) => {
      config.resolve = {
        ...config.resolve,
        alias: { ...(config.resolve?.alias as Record<string, string> | undefined), ...aliases },
      };
      return config;
    },
    ...(options.interceptorModules
      ? { workflowInterceptorModules: options.interceptorModules }
      : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
}
