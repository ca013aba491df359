import { runService } from '@commerce/nest-kit';
import { AppModule, gatewayAppOptions } from './app.module';
import { gatewayRunConfigSchema } from './config';

// runService reports its own failures (one line on stderr, exit code 1), so nothing to await here.
void runService({ schema: gatewayRunConfigSchema, module: AppModule, setup: gatewayAppOptions });
