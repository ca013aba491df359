import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The catalog's own vocabulary, for typo correction: every word of a product's name and
 * description with the number of products that contain it. Statement-level triggers with
 * transition tables keep it current in the same transaction as the product write, one bulk
 * upsert per statement (the seeder's multi-row upserts stay cheap), so every service instance
 * and every writer sees the same dictionary without a rebuild job.
 *
 * `search_term_candidates` finds dictionary words that look like a misspelt word (trigram
 * similarity over a GIN index, with a threshold low enough that one transposition in a
 * five-letter word still qualifies); the service then keeps those within the typo budget by
 * edit distance.
 */
export class CreateSearchTerms1767398400000 implements MigrationInterface {
  name = 'CreateSearchTerms1767398400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table search_terms (
        term text primary key,
        docs integer not null check (docs >= 0)
      )`);
    await q.query(
      `create index search_terms_trgm_idx on search_terms using gin (term gin_trgm_ops)`,
    );
    // The words of one product, as the service splits a search text (see search-terms.ts).
    await q.query(`
      create function product_terms(name text, description text) returns setof text
      language sql immutable parallel safe as $$
        select distinct w
        from regexp_split_to_table(lower(coalesce(name, '') || ' ' || coalesce(description, '')),
                                   '[^[:alnum:]]+') as w
        where length(w) between 2 and 40
      $$`);
    await q.query(`
      create function search_terms_add() returns trigger language plpgsql as $$
      begin
        insert into search_terms as t (term, docs)
        select w, count(*) from new_rows n, product_terms(n.name, n.description) w group by w
        on conflict (term) do update set docs = t.docs + excluded.docs;
        return null;
      end $$`);
    await q.query(`
      create function search_terms_change() returns trigger language plpgsql as $$
      begin
        with removed as (
          select w, count(*) as n
          from old_rows o join new_rows n on n.id = o.id,
               product_terms(o.name, o.description) w
          where (o.name, o.description) is distinct from (n.name, n.description)
          group by w
        )
        update search_terms t set docs = greatest(t.docs - r.n, 0) from removed r where t.term = r.w;
        insert into search_terms as t (term, docs)
        select w, count(*)
        from old_rows o join new_rows n on n.id = o.id, product_terms(n.name, n.description) w
        where (o.name, o.description) is distinct from (n.name, n.description)
        group by w
        on conflict (term) do update set docs = t.docs + excluded.docs;
        return null;
      end $$`);
    await q.query(`
      create function search_terms_remove() returns trigger language plpgsql as $$
      begin
        with removed as (
          select w, count(*) as n from old_rows o, product_terms(o.name, o.description) w group by w
        )
        update search_terms t set docs = greatest(t.docs - r.n, 0) from removed r where t.term = r.w;
        return null;
      end $$`);
    await q.query(`
      create trigger products_search_terms_insert after insert on products
      referencing new table as new_rows for each statement execute function search_terms_add()`);
    await q.query(`
      create trigger products_search_terms_update after update on products
      referencing old table as old_rows new table as new_rows
      for each statement execute function search_terms_change()`);
    await q.query(`
      create trigger products_search_terms_delete after delete on products
      referencing old table as old_rows for each statement execute function search_terms_remove()`);
    await q.query(`
      create function search_term_candidates(words text[])
      returns table (word text, term text, docs integer)
      language sql stable set pg_trgm.similarity_threshold = 0.15 as $$
        select w, t.term, t.docs
        from unnest(words) as w
        join search_terms t on t.term % w
        where t.docs > 0 and abs(length(t.term) - length(w)) <= 2
      $$`);
    // Products stored before this migration.
    await q.query(`
      insert into search_terms (term, docs)
      select w, count(*) from products p, product_terms(p.name, p.description) w group by w`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop function search_term_candidates(text[])`);
    await q.query(`drop trigger products_search_terms_delete on products`);
    await q.query(`drop trigger products_search_terms_update on products`);
    await q.query(`drop trigger products_search_terms_insert on products`);
    await q.query(`drop function search_terms_remove()`);
    await q.query(`drop function search_terms_change()`);
    await q.query(`drop function search_terms_add()`);
    await q.query(`drop function product_terms(text, text)`);
    await q.query(`drop table search_terms`);
  }
}
