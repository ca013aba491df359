import { APP_CONFIG } from '@commerce/nest-kit';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { ProductsConfig } from '../config';
import { Sql } from '../database/sql.service';
import { DEFAULT_CATALOG_SIZE } from '../seed/catalog-generator';
import { seedCatalog } from '../seed/seeder';

// Two instances starting together on an empty database seed once.
const SEED_LOCK = 7_245_310_003;

/** With SEED_CATALOG=true, loads the default catalog at start when there are no products yet. */
@Injectable()
export class CatalogSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(CatalogSeeder.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: ProductsConfig,
    private readonly sql: Sql,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.SEED_CATALOG) return;
    await this.sql.session(async (session) => {
      await session.run('select pg_advisory_lock($1)', [SEED_LOCK]);
      try {
        const [row] = await session.rows<{ any: boolean }>(
          'select exists (select 1 from products) as any',
        );
        if (row?.any) return;
        const result = await seedCatalog(session, DEFAULT_CATALOG_SIZE);
        this.logger.log(
          `seeded the default catalog: ${result.products} products in ${result.ms} ms`,
        );
      } finally {
        await session.run('select pg_advisory_unlock($1)', [SEED_LOCK]);
      }
    });
  }
}
