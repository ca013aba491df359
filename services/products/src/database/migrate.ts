import { runMigrationsLocked as runLocked } from '@commerce/persistence';
import type { DataSource } from 'typeorm';

// Any constant works; it only has to be the same for every instance of this service.
const MIGRATION_LOCK = 7_245_310_002;

/** The products service's migrations, under its advisory lock (shared by the seed command). */
export async function runMigrationsLocked(dataSource: DataSource): Promise<void> {
  await runLocked(dataSource, MIGRATION_LOCK);
}
