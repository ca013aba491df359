import type { HealthIndicatorDefinition } from '@commerce/nest-kit';
import { DataSource } from 'typeorm';

/** `/health` reports the read model's database as `postgres`. */
export const postgresHealthIndicator: HealthIndicatorDefinition = {
  name: 'postgres',
  inject: [DataSource],
  useFactory: (dataSource: DataSource) => () => dataSource.query('select 1'),
};
