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

/**
 * The bundle with its inline source map stripped of the sources it embeds. A worker holds the map
 * in memory (the main thread and the workflow thread each keep a copy) to turn workflow stack
 * traces into file:line, which needs only the mappings; the embedded sources, two thirds of the
 * map, serve only the SDK's `showStackTraceSources`, which these workers leave off.
 */
export function withoutEmbeddedSources(code: string): string {
  // Found as the SDK finds it: the last inline map comment, its payload after `base64,`.
  const comment = code.lastIndexOf('//# sourceMappingURL=data:');
  const tag = comment < 0 ? -1 : code.indexOf('base64,', comment);
  if (tag < 0) return code;
  const payload = tag + 'base64,'.length;
  const map = JSON.parse(Buffer.from(code.slice(payload).trimEnd(), 'base64').toString()) as {
    sourcesContent?: unknown;
  };
  delete map.sourcesContent;
  return `${code.slice(0, payload)}${Buffer.from(JSON.stringify(map)).toString('base64')}`;
}
