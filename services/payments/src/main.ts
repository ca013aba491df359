import { runService } from '@commerce/nest-kit';
import { paymentsAppModule, paymentsAppOptions } from './app.module';
import { paymentsConfigSchema } from './config';

// runService reports its own failures (one line on stderr, exit code 1), so nothing to await here.
void runService({
  schema: paymentsConfigSchema,
  module: paymentsAppModule(process.env),
  setup: paymentsAppOptions,
});
