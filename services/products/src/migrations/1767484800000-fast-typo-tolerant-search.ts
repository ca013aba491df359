import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What makes search fast and forgiving without leaving stock PostgreSQL extensions:
 *
 * - `english_unaccent`: the english configuration with accents folded (unaccent before the
 *   stemmer), so "creme brulee" finds "Crème Brûlée"; the stored vector is rebuilt with it.
 * - `search_fold(text)`: lower case, accents folded, whitespace collapsed; an index on the
 *   folded name finds exact name matches, which rank first.
 * - `product_name_terms`: one row per (lexeme of the name, product) of every active product,
 *   ordered by name. A btree walk over one lexeme's rows gives the products whose name holds all
 *   the searched words already in result order, so the first page of a broad search ("headphones",
 *   thousands of matches) reads a few dozen index entries instead of ranking every match. GIN
 *   cannot return rows in an order; RUM could, but is not offered by the major managed services.
 *   Statement-level triggers keep it in the transaction of every product write.
 * - The dictionary (`search_terms`) folds accents too and knows each word's lexeme, so a searched
 *   word is known when its lexeme is (no correction), and the number of products using a lexeme
 *   picks the rarest word to walk and bounds the estimated total of broad searches.
 */
export class FastTypoTolerantSearch1767484800000 implements MigrationInterface {
  name = 'FastTypoTolerantSearch1767484800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`create extension if not exists unaccent with schema public`);
    // Wherever it lives (managed services may keep extensions in a schema of their own).
    const [{ schema }] = (await q.query(
      `select quote_ident(extnamespace::regnamespace::text) as schema
       from pg_extension where extname = 'unaccent'`,
    )) as [{ schema: string }];
    await q.query(`create text search configuration english_unaccent (copy = english)`);
    await q.query(`
      alter text search configuration english_unaccent
        alter mapping for hword, hword_part, word with ${schema}.unaccent, english_stem`);
    // unaccent() is only STABLE (its dictionary could be changed); with the dictionary named the
    // result depends on the input alone, the documented way to index it.
    await q.query(`
      create function search_fold(text) returns text
      language sql immutable strict parallel safe as $$
        select btrim(regexp_replace(lower(${schema}.unaccent('${schema}.unaccent'::regdictionary, $1)),
                                    '\\s+', ' ', 'g'))
      $$`);
    await q.query(`
      create function search_lexeme(word text) returns text
      language sql immutable strict parallel safe as $$
        select (tsvector_to_array(to_tsvector('english_unaccent'::regconfig, word)))[1]
      $$`);

    await q.query(`alter table products drop column search`);
    await q.query(`
      alter table products add column search tsvector generated always as (
        setweight(to_tsvector('english_unaccent'::regconfig, coalesce(name, '')), 'A') ||
        setweight(to_tsvector('english_unaccent'::regconfig, coalesce(description, '')), 'B')
      ) stored`);
    await q.query(`create index products_search_idx on products using gin (search)`);
    await q.query(
      `create index products_name_fold_idx on products (search_fold(name)) where active`,
    );

    // No foreign key: the triggers below remove a product's rows in the same statement, and a
    // key check per row would double the cost of a bulk load.
    await q.query(`
      create table product_name_terms (
        lexeme text not null,
        name text not null,
        product_id uuid not null,
        primary key (lexeme, name, product_id)
      )`);
    await q.query(`
      create function product_name_lexemes(name text) returns setof text
      language sql immutable strict parallel safe as $$
        select unnest(tsvector_to_array(to_tsvector('english_unaccent'::regconfig, name)))
      $$`);
    await q.query(`
      create function product_name_terms_add() returns trigger language plpgsql as $$
      begin
        insert into product_name_terms (lexeme, name, product_id)
        select l, n.name, n.id from new_rows n, product_name_lexemes(n.name) l where n.active
        on conflict do nothing;
        return null;
      end $$`);
    await q.query(`
      create function product_name_terms_change() returns trigger language plpgsql as $$
      begin
        delete from product_name_terms t
        using old_rows o join new_rows n on n.id = o.id, product_name_lexemes(o.name) l
        where (o.name, o.active) is distinct from (n.name, n.active)
          and t.lexeme = l and t.name = o.name and t.product_id = o.id;
        insert into product_name_terms (lexeme, name, product_id)
        select l, n.name, n.id
        from old_rows o join new_rows n on n.id = o.id, product_name_lexemes(n.name) l
        where (o.name, o.active) is distinct from (n.name, n.active) and n.active
        on conflict do nothing;
        return null;
      end $$`);
    await q.query(`
      create function product_name_terms_remove() returns trigger language plpgsql as $$
      begin
        delete from product_name_terms t
        using old_rows o, product_name_lexemes(o.name) l
        where t.lexeme = l and t.name = o.name and t.product_id = o.id;
        return null;
      end $$`);
    await q.query(`
      create trigger products_name_terms_insert after insert on products
      referencing new table as new_rows for each statement
      execute function product_name_terms_add()`);
    await q.query(`
      create trigger products_name_terms_update after update on products
      referencing old table as old_rows new table as new_rows for each statement
      execute function product_name_terms_change()`);
    await q.query(`
      create trigger products_name_terms_delete after delete on products
      referencing old table as old_rows for each statement
      execute function product_name_terms_remove()`);
    await q.query(`
      insert into product_name_terms (lexeme, name, product_id)
      select l, p.name, p.id from products p, product_name_lexemes(p.name) l where p.active
      on conflict do nothing`);

    // The dictionary: accents folded like the vector, rebuilt from the products, with lexemes.
    await q.query(`
      create or replace function product_terms(name text, description text) returns setof text
      language sql immutable parallel safe as $$
        select distinct w
        from regexp_split_to_table(search_fold(coalesce(name, '') || ' ' || coalesce(description, '')),
                                   '[^[:alnum:]]+') as w
        where length(w) between 2 and 40
      $$`);
    await q.query(`truncate search_terms`);
    await q.query(
      `alter table search_terms add column lexeme text generated always as (search_lexeme(term)) stored`,
    );
    await q.query(`create index search_terms_lexeme_idx on search_terms (lexeme) include (docs)`);
    await q.query(`
      insert into search_terms (term, docs)
      select w, count(*) from products p, product_terms(p.name, p.description) w group by w`);
    // The candidates carry their lexeme: a correction is pointless when the typed word already
    // stems like the candidate ("kettles" finds "kettle" without being rewritten).
    await q.query(`drop function search_term_candidates(text[])`);
    await q.query(`
      create function search_term_candidates(words text[])
      returns table (word text, term text, lexeme text, docs integer)
      language sql stable set pg_trgm.similarity_threshold = 0.15 as $$
        select w, t.term, t.lexeme, t.docs
        from unnest(words) as w
        join search_terms t on t.term % w
        where t.docs > 0 and abs(length(t.term) - length(w)) <= 2
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop function search_term_candidates(text[])`);
    await q.query(`
      create function search_term_candidates(words text[])
      returns table (word text, term text, docs integer)
      language sql stable set pg_trgm.similarity_threshold = 0.15 as $$
        select w, t.term, t.docs
        from unnest(words) as w
        join search_terms t on t.term % w
        where t.docs > 0 and abs(length(t.term) - length(w)) <= 2
      $$`);
    await q.query(`alter table search_terms drop column lexeme`);
    await q.query(`
      create or replace function product_terms(name text, description text) returns setof text
      language sql immutable parallel safe as $$
        select distinct w
        from regexp_split_to_table(lower(coalesce(name, '') || ' ' || coalesce(description, '')),
                                   '[^[:alnum:]]+') as w
        where length(w) between 2 and 40
      $$`);
    await q.query(`truncate search_terms`);
    await q.query(`
      insert into search_terms (term, docs)
      select w, count(*) from products p, product_terms(p.name, p.description) w group by w`);
    await q.query(`drop trigger products_name_terms_delete on products`);
    await q.query(`drop trigger products_name_terms_update on products`);
    await q.query(`drop trigger products_name_terms_insert on products`);
    await q.query(`drop function product_name_terms_remove()`);
    await q.query(`drop function product_name_terms_change()`);
    await q.query(`drop function product_name_terms_add()`);
    await q.query(`drop table product_name_terms`);
    await q.query(`drop function product_name_lexemes(text)`);
    await q.query(`drop index products_name_fold_idx`);
    await q.query(`alter table products drop column search`);
    await q.query(`
      alter table products add column search tsvector generated always as (
        setweight(to_tsvector('english', coalesce(name, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(description, '')), 'B')
      ) stored`);
    await q.query(`create index products_search_idx on products using gin (search)`);
    await q.query(`drop function search_lexeme(text)`);
    await q.query(`drop function search_fold(text)`);
    await q.query(`drop text search configuration english_unaccent`);
  }
}
