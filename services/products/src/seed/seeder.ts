import { SEED_CATEGORIES, type SeedProduct, generateCatalog } from './catalog-generator';

/** Anything that runs a parameterised statement: a pg Client/Pool or a TypeORM DataSource. */
export interface SqlExecutor {
  query(sql: string, values?: unknown[]): Promise<unknown>;
}

export interface SeedResult {
  readonly products: number;
  readonly ms: number;
}

const BATCH = 5000;

/** Creates the seed categories that are missing (by slug). */
export async function seedCategories(db: SqlExecutor): Promise<void> {
  await db.query(
    `insert into categories (name, slug)
     select * from unnest($1::text[], $2::text[])
     on conflict do nothing`,
    [SEED_CATEGORIES.map((c) => c.name), SEED_CATEGORIES.map((c) => c.slug)],
  );
}

/**
 * Upserts `count` generated products by SKU (idempotent: a second run changes nothing but
 * `updated_at`) with their inventory, in multi-row batches of unnest()ed arrays.
 * Existing stock is kept: a re-seed never resets on-hand or reserved counts.
 */
export async function seedCatalog(db: SqlExecutor, count: number, from = 0): Promise<SeedResult> {
  const started = Date.now();
  await seedCategories(db);
  let batch: SeedProduct[] = [];
  let written = 0;
  for (const product of generateCatalog(count, from)) {
    batch.push(product);
    if (batch.length === BATCH) {
      await writeBatch(db, batch);
      written += batch.length;
      batch = [];
    }
  }
  if (batch.length > 0) {
    await writeBatch(db, batch);
    written += batch.length;
  }
  // Fresh statistics right away: before autovacuum gets to a bulk load, the planner guesses a
  // few hundred full-text matches instead of thousands and adds a needless index scan.
  await db.query('analyze products, inventory');
  return { products: written, ms: Date.now() - started };
}

async function writeBatch(db: SqlExecutor, batch: readonly SeedProduct[]): Promise<void> {
  await db.query(
    `with input as (
       select * from unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[],
                            $6::text[], $7::jsonb[], $8::int[])
         as t(sku, name, description, price, currency, slug, attributes, on_hand)
     ), upserted as (
       insert into products (sku, name, description, price, currency, category_id, attributes)
       select i.sku, i.name, i.description, i.price, i.currency, c.id, i.attributes
       from input i left join categories c on c.slug = i.slug
       on conflict (sku) do update set
         name = excluded.name, description = excluded.description, price = excluded.price,
         currency = excluded.currency, category_id = excluded.category_id,
         attributes = excluded.attributes, updated_at = now()
       returning id, sku
     )
     insert into inventory (product_id, on_hand)
     select u.id, i.on_hand from upserted u join input i on i.sku = u.sku
     on conflict (product_id) do nothing`,
    [
      batch.map((p) => p.sku),
      batch.map((p) => p.name),
      batch.map((p) => p.description),
      batch.map((p) => p.price),
      batch.map((p) => p.currency),
      batch.map((p) => p.categorySlug),
      batch.map((p) => JSON.stringify(p.attributes)),
      batch.map((p) => p.onHand),
    ],
  );
}
