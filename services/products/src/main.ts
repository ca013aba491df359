import { runService } from '@commerce/nest-kit';
import { AppModule, productsAppOptions } from './app.module';
import { productsConfigSchema } from './config';

// runService reports its own failures (one line on stderr, exit code 1), so nothing to await here.
void runService({ schema: productsConfigSchema, module: AppModule, setup: productsAppOptions });
