import { type DataSource, MigrationExecutor } from 'typeorm';

/**
 * Runs the pending migrations (never `synchronize`). Instances of one service that start together
 * (and its one-off commands, such as a seed) take turns through a PostgreSQL advisory lock keyed
 * per service. The migrations run on the very connection that holds the lock, so a pool of one
 * connection is enough and a second instance simply waits.
 */
export async function runMigrationsLocked(
  dataSource: DataSource,
  lockKey: number,
): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('select pg_advisory_lock($1)', [lockKey]);
    try {
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      const applied = await executor.executePendingMigrations();
      return applied.map((m) => m.name);
    } finally {
      await runner.query('select pg_advisory_unlock($1)', [lockKey]);
    }
  } finally {
    await runner.release();
  }
}
