import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `search_word_stats(words, min_typo_length)`: what a search needs to know about its words, as the
 * service's word lookup asked it in one statement (lexeme, how many products use it, whether a
 * name holds it, and dictionary candidates for words that may be misspelt).
 *
 * A function because of planning: the service plans its statements for their own values
 * (`plan_cache_mode=force_custom_plan`), and planning this one cost more than running it (about
 * 0.3 of 0.6 ms, every search). Its plan does not depend on the words (equality probes of two
 * indexes, a trigram probe of the dictionary), so PL/pgSQL keeps one generic plan per connection.
 * Candidates are looked up only when some word is unknown (most searches have none); their rule
 * is search_term_candidates', which this function replaces.
 */
export class SearchWordLookup1767571200000 implements MigrationInterface {
  name = 'SearchWordLookup1767571200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create function search_word_stats(words text[], min_typo_length integer)
      returns table (word text, folded text, term text, lexeme text, docs integer, "inNames" boolean)
      language plpgsql stable
      set plan_cache_mode = force_generic_plan
      set pg_trgm.similarity_threshold = 0.15
      as $$
      begin
        return query
        with w as (
          select x.word, search_fold(x.word) as folded, search_lexeme(x.word) as lexeme
          from unnest(words) as x(word)
        ), known as (
          select w.word, w.folded, null::text as term, w.lexeme,
            coalesce((select sum(s.docs) from search_terms s where s.lexeme = w.lexeme), 0)::int as docs,
            exists (select 1 from product_name_terms n where n.lexeme = w.lexeme) as in_names
          from w
        ), typos as (
          select distinct k.folded from known k
          where k.docs = 0 and k.lexeme is not null and char_length(k.folded) >= min_typo_length
        ), candidates as (
          -- Dictionary words that look like an unknown word (the service keeps those within
          -- the typo budget).
          select y.folded as word, t.term, t.lexeme, t.docs
          from typos y join search_terms t on t.term % y.folded
          where t.docs > 0 and abs(length(t.term) - length(y.folded)) <= 2
        )
        select * from known
        union all
        select k.word, k.folded, c.term, c.lexeme,
          coalesce((select sum(s.docs) from search_terms s where s.lexeme = c.lexeme), 0)::int,
          exists (select 1 from product_name_terms n where n.lexeme = c.lexeme)
        from candidates c join known k on k.folded = c.word;
      end $$`);
    await q.query(`drop function search_term_candidates(text[])`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop function search_word_stats(text[], integer)`);
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
}
