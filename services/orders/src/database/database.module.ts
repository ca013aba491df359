import { PostgresModule } from '@commerce/persistence';
import { MIGRATIONS } from '../migrations';

/**
 * The orders database (commerce_orders), migrated at start. The service talks SQL through the
 * DataSource (guarded updates and upserts are plainer in SQL), so no entity classes are registered.
 */
export const DatabaseModule = PostgresModule.forRoot({
  migrations: MIGRATIONS,
  migrationLock: 7_245_310_003,
});
