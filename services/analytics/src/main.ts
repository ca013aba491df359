import { runService } from '@commerce/nest-kit';
import { AppModule, analyticsAppOptions } from './app.module';
import { analyticsConfigSchema } from './config';

// runService reports its own failures (one line on stderr, exit code 1), so nothing to await here.
void runService({ schema: analyticsConfigSchema, module: AppModule, setup: analyticsAppOptions });
