import { runService } from '@commerce/nest-kit';
import { AppModule, gatewayAppOptions } from './app.module';
import { gatewayConfigSchema } from './config';

// runService reports its own failures (one line on stderr, exit code 1), so nothing to await here.
void runService({ schema: gatewayConfigSchema, module: AppModule, setup: gatewayAppOptions });
