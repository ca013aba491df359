import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Categories, products (with a weighted full-text vector kept by PostgreSQL itself and a trigram
 * index on the name for typo tolerance), inventory per product and reservations per order.
 */
export class CreateCatalogSchema1767312000000 implements MigrationInterface {
  name = 'CreateCatalogSchema1767312000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`create extension if not exists pg_trgm`);
    await q.query(`
      create table categories (
        id uuid primary key default gen_random_uuid(),
        name text not null,
        slug text not null,
        parent_id uuid references categories (id) on delete restrict,
        created_at timestamptz not null default now()
      )`);
    await q.query(`create unique index categories_name_key on categories (lower(name))`);
    await q.query(`create unique index categories_slug_key on categories (slug)`);
    await q.query(`
      create table products (
        id uuid primary key default gen_random_uuid(),
        sku text not null,
        name text not null,
        description text not null default '',
        price bigint not null check (price >= 0),
        currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
        category_id uuid references categories (id) on delete restrict,
        attributes jsonb not null default '{}'::jsonb,
        active boolean not null default true,
        search tsvector generated always as (
          setweight(to_tsvector('english', coalesce(name, '')), 'A') ||
          setweight(to_tsvector('english', coalesce(description, '')), 'B')
        ) stored,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    await q.query(`create unique index products_sku_key on products (sku)`);
    await q.query(`create index products_search_idx on products using gin (search)`);
    await q.query(`create index products_name_trgm_idx on products using gin (name gin_trgm_ops)`);
    await q.query(`create index products_category_idx on products (category_id) where active`);
    await q.query(`create index products_price_idx on products (price) where active`);
    await q.query(
      `create index products_created_idx on products (created_at desc, id) where active`,
    );
    await q.query(`
      create table inventory (
        product_id uuid primary key references products (id) on delete cascade,
        on_hand integer not null default 0,
        reserved integer not null default 0,
        updated_at timestamptz not null default now(),
        constraint inventory_reserved_within_on_hand check (reserved >= 0 and reserved <= on_hand)
      )`);
    await q.query(`
      create table reservations (
        id uuid primary key default gen_random_uuid(),
        order_id uuid not null,
        product_id uuid not null references products (id) on delete restrict,
        quantity integer not null check (quantity > 0),
        status text not null default 'RESERVED'
          check (status in ('RESERVED', 'RELEASED', 'COMMITTED')),
        expires_at timestamptz not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint reservations_order_product_key unique (order_id, product_id)
      )`);
    await q.query(
      `create index reservations_expiry_idx on reservations (expires_at) where status = 'RESERVED'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table if exists reservations`);
    await q.query(`drop table if exists inventory`);
    await q.query(`drop table if exists products`);
    await q.query(`drop table if exists categories`);
  }
}
