import { runService } from '@commerce/nest-kit';
import { analyticsProcessorsConfigSchema } from './config';
import { AnalyticsProcessorsModule } from './processor/analytics-processors.module';
import { analyticsProcessorsAppOptions } from './processors.app';

// The analytics queue processor alone, deployed and scaled apart from the API. runService reports
// its own failures (one line on stderr, exit code 1), so nothing to await here.
void runService({
  schema: analyticsProcessorsConfigSchema,
  module: AnalyticsProcessorsModule,
  setup: analyticsProcessorsAppOptions,
});
