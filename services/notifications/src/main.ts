import { runService } from '@commerce/nest-kit';
import { AppModule, notificationsAppOptions } from './app.module';
import { notificationsConfigSchema } from './config';

// runService reports its own failures (one line on stderr, exit code 1), so nothing to await here.
void runService({
  schema: notificationsConfigSchema,
  module: AppModule,
  setup: notificationsAppOptions,
});
