import type { StartInfraResult } from '@commerce/tools';
import { loadTools } from './load-tools';

/**
 * Integration runs need the real servers. Start whatever is not already answering (a developer's
 * `npm start` stack is reused as it is), once for the whole run; the teardown stops only what this
 * run started.
 */
export default async function globalSetup(): Promise<void> {
  const tools = loadTools();
  const verbose = process.env.COMMERCE_TEST_VERBOSE === '1';
  const started = Date.now();
  let result: StartInfraResult;
  try {
    result = await tools.startInfra({
      log: (line) => verbose && console.log(`[harness] ${line}`),
    });
  } catch (err) {
    // One readable line instead of a Jest stack for a missing tool or a taken port.
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`integration infrastructure could not start: ${message}`);
  }
  (globalThis as { __commerceStarted?: string[] }).__commerceStarted = result.started;
  const took = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `\n[harness] infrastructure ready in ${took}s (started: ${result.started.join(', ') || 'none'}; reused: ${result.reused.join(', ') || 'none'})`,
  );
}
