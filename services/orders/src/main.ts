import { runService } from '@commerce/nest-kit';
import { AppModule, ordersAppOptions } from './app.module';
import { ordersConfigSchema } from './config';

// runService reports its own failures (one line on stderr, exit code 1), so nothing to await here.
void runService({ schema: ordersConfigSchema, module: AppModule, setup: ordersAppOptions });
