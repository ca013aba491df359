import { runService } from '@commerce/nest-kit';
import { AppModule, workersAppOptions } from './app.module';
import { workersConfigSchema } from './config';

// runService reports its own failures (one line on stderr, exit code 1), so nothing to await here.
void runService({ schema: workersConfigSchema, module: AppModule, setup: workersAppOptions });
