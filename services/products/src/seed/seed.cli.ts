/**
 * `npm run seed -w @commerce/products [-- --count 100000]`: migrates the database named by
 * DATABASE_URL (default commerce_products) and upserts the generated catalog by SKU.
 */
import { loadConfig } from '@commerce/nest-kit';
import { DataSource } from 'typeorm';
import { parseArgs } from 'node:util';
import { productsEnvSchema } from '../config';
import { runMigrationsLocked } from '@commerce/persistence';
import { MIGRATION_LOCK, dataSourceOptions } from '../database/database.module';
import { DEFAULT_CATALOG_SIZE } from './catalog-generator';
import { seedCatalog } from './seeder';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { count: { type: 'string' } } });
  const count = values.count === undefined ? DEFAULT_CATALOG_SIZE : Number(values.count);
  if (!Number.isSafeInteger(count) || count < 1 || count > 10_000_000) {
    throw new Error(`--count: expected a number between 1 and 10000000, got "${values.count}"`);
  }
  // Only the database: the seed is a one-off command, not the service (no service account).
  const config = loadConfig(productsEnvSchema.pick({ DATABASE_URL: true }));
  const dataSource = new DataSource(
    dataSourceOptions({ DATABASE_URL: config.DATABASE_URL, DATABASE_POOL_SIZE: 2 }),
  );
  await dataSource.initialize();
  try {
    await runMigrationsLocked(dataSource, MIGRATION_LOCK);
    const result = await seedCatalog(dataSource, count);
    process.stdout.write(`seeded ${result.products} products in ${result.ms} ms\n`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`seed failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
