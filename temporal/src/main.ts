import { loadConfig, runService } from '@commerce/nest-kit';
import { WorkerModule, workerAppOptions } from './app.module';
import { workerConfigSchema } from './config';
import { installRuntime } from './runtime';

// The runtime must exist before runService builds the workers. A bad config is reported by
// runService itself (one line, exit code 1), so the runtime is installed only from a good one.
const env = process.env;
let config: ReturnType<typeof loadConfig<typeof workerConfigSchema>> | undefined;
try {
  config = loadConfig(workerConfigSchema, env);
} catch {
  config = undefined;
}
if (config) installRuntime(config);
void runService({ schema: workerConfigSchema, module: WorkerModule, setup: workerAppOptions });
