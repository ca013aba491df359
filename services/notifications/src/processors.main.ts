import { runService } from '@commerce/nest-kit';
import {
  processorsAppModule,
  processorsAppOptions,
} from './processors/notification-processors.module';
import { notificationProcessorsConfigSchema } from './processors/processors.config';

// The queue processors of the notifications context on their own (health and metrics on PORT,
// 3010 by default), scaled apart from the API (main.ts). runService reports its own failures.
void runService({
  schema: notificationProcessorsConfigSchema,
  module: processorsAppModule,
  setup: processorsAppOptions,
});
