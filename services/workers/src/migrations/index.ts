import { CreateAnalyticsSchema1767484800000 } from './1767484800000-create-analytics-schema';

/** Every migration of the workers' PostgreSQL database, oldest first. */
export const MIGRATIONS = [CreateAnalyticsSchema1767484800000];
