// What hosts of the analytics processor import (the entrypoints are main.ts and processors.main.ts).
export { type AnalyticsProcessorConfig, analyticsProcessorEnv } from './config';
export { AnalyticsProcessor } from './processor/analytics.processor';
export { AnalyticsProcessorsModule } from './processor/analytics-processors.module';
