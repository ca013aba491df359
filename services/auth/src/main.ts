import { runService } from '@commerce/nest-kit';
import { AppModule, authAppOptions } from './app.module';
import { authConfigSchema } from './config';

// runService reports its own failures (one line on stderr, exit code 1), so nothing to await here.
void runService({ schema: authConfigSchema, module: AppModule, setup: authAppOptions });
