import { CreateAnalyticsSchema1767484800000 } from './1767484800000-create-analytics-schema';

/** Every migration of the analytics database, oldest first (names and timestamps never change). */
export const MIGRATIONS = [CreateAnalyticsSchema1767484800000];
