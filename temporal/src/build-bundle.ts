/**
 * Writes the workflow bundle ahead of time (run after tsc by this package's build), so production
 * workers load it instead of bundling at start.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DefaultLogger } from '@temporalio/worker';
import { bundleWorkflows, withoutEmbeddedSources } from './workflow-bundle';

async function main(): Promise<void> {
  const bundle = await bundleWorkflows({ logger: new DefaultLogger('WARN') });
  const code = withoutEmbeddedSources(bundle.code);
  const path = join(__dirname, 'workflows.bundle.js');
  writeFileSync(path, code);
  process.stdout.write(`workflow bundle: ${path} (${Math.round(code.length / 1024)} KiB)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`workflow bundle failed: ${String(error)}\n`);
  process.exitCode = 1;
});
