import {
  type BuiltQuery,
  PRODUCT_COLUMNS,
  Params,
  type ProductSearch,
  filterConditions,
  tsQuery,
} from './search-query';

/**
 * The SQL of a relevance-sorted search. The matches of a text are the products whose weighted
 * vector matches it (full text, websearch syntax), ordered in three tiers:
 *
 * 1. `exact`: the name, folded (case, accents, spaces), is the search text;
 * 2. `name`: the name holds every searched word that occurs in any product name (so "bamboo desk
 *    lamp" puts desk lamps in bamboo before bamboo things that merely go with a desk lamp), in
 *    name order, walked along `product_name_terms` from its rarest word so that a page of a broad
 *    search reads a page of index entries rather than ranking every match;
 * 3. `rest`: every other match, by `ts_rank_cd` (name over description).
 *
 * Ties break by name, then id, so the order is total and pages neither repeat nor skip rows.
 */

/** What the service learnt about the (corrected) search text before searching. */
export interface SearchPlan {
  /** The search text, typos corrected. */
  readonly text: string;
  /** Lexemes of the text's words that occur in some product name, rarest first. */
  readonly nameLexemes: readonly string[];
}

/** The tier names, in result order. */
export type Tier = 'exact' | 'name' | 'rest';
export const TIERS: readonly Tier[] = ['exact', 'name', 'rest'];

/** Matching the text (placeholder `text`), for products `p`, plus the filters. */
function matches(search: ProductSearch, text: string, params: Params): string[] {
  return ['p.active', `p.search @@ ${tsQuery(text)}`, ...filterConditions(search, params)];
}

interface TierQuery {
  readonly from: string;
  readonly where: readonly string[];
  readonly order: string;
  /** The placeholder of the search text. */
  readonly text: string;
}

/** Where a tier's rows come from, which they are and their order (none for `rest`: ranked). */
function tierQuery(
  tier: Tier,
  search: ProductSearch,
  plan: SearchPlan,
  params: Params,
): TierQuery | undefined {
  const [driver, ...others] = plan.nameLexemes;
  if (tier === 'name' && driver === undefined) return undefined;
  const text = params.add(plan.text);
  const where = matches(search, text, params);
  const folded = `search_fold(${text})`;
  if (tier === 'exact') {
    // The name index alone finds the (few) exact names; `offset 0` keeps the match out of the
    // subquery, or the planner may AND the full-text index in, building a bitmap of every match
    // of a broad search (about 1 ms for two common words) to intersect with none or one row.
    return {
      from: `(select * from products p where search_fold(p.name) = ${folded} and p.active offset 0) p`,
      where,
      order: 'p.name, p.id',
      text,
    };
  }
  if (tier === 'name' && driver !== undefined) {
    const walk = [`t.lexeme = ${params.add(driver)}`];
    for (const other of others) {
      walk.push(
        `exists (select 1 from product_name_terms o where o.lexeme = ${params.add(other)} ` +
          `and o.name = t.name and o.product_id = t.product_id)`,
      );
    }
    return {
      from: 'product_name_terms t join products p on p.id = t.product_id',
      where: [...walk, ...where, `search_fold(p.name) <> ${folded}`],
      order: 't.name, t.product_id',
      text,
    };
  }
  const notInName =
    driver === undefined
      ? []
      : [
          `not (tsvector_to_array(ts_filter(p.search, '{a}')) @> ${params.add(plan.nameLexemes)}::text[])`,
        ];
  return { from: 'products p', where: [...where, ...notInName], order: '', text };
}

/** A page of one tier (`undefined` when the tier cannot hold anything for this text). */
export function buildTierPage(
  tier: Tier,
  search: ProductSearch,
  plan: SearchPlan,
  offset: number,
  limit: number,
): BuiltQuery | undefined {
  const params = new Params();
  const query = tierQuery(tier, search, plan, params);
  if (!query) return undefined;
  const page = `limit ${params.add(limit)} offset ${params.add(offset)}`;
  if (tier !== 'rest') {
    return {
      sql: `select ${PRODUCT_COLUMNS}\nfrom ${query.from}\nwhere ${query.where.join('\n  and ')}\norder by ${query.order}\n${page}`,
      values: params.values,
    };
  }
  // Ranked on narrow rows; only the page's rows are read in full.
  const rank = `ts_rank_cd(p.search, ${tsQuery(query.text)})`;
  return {
    sql: `with page as (
  select p.id, ${rank} as rank
  from ${query.from}
  where ${query.where.join('\n    and ')}
  order by rank desc, p.name, p.id
  ${page}
)
select ${PRODUCT_COLUMNS}
from page join products p on p.id = page.id
order by page.rank desc, p.name, p.id`,
    values: params.values,
  };
}

/** How many rows a tier holds (for a page that starts past its end). */
export function buildTierCount(
  tier: Tier,
  search: ProductSearch,
  plan: SearchPlan,
): BuiltQuery | undefined {
  const params = new Params();
  const query = tierQuery(tier, search, plan, params);
  if (!query) return undefined;
  return {
    sql: `select count(*)::int as n from ${query.from} where ${query.where.join(' and ')}`,
    values: params.values,
  };
}

/**
 * The number of matches counted up to `cap` (`n`) and, when there are that many, an estimate of
 * all: a bitmap or sequential scan reads the table's blocks in order (a sequential one may start
 * mid-table, where a concurrent scan is, and wrap around), so when the cap is reached after k of
 * the table's blocks, the matches, spread over the table, number about n * blocks / k.
 */
function cappedCount(search: ProductSearch, plan: SearchPlan, cap: number, params: Params): string {
  const where = matches(search, params.add(plan.text), params);
  const limit = params.add(cap);
  return `select a.n, case when a.n >= ${limit} then round(a.n * a.pages::numeric /
    (((a.b[a.n] - a.b[1] + a.pages) % a.pages) + 1))::int end as estimate
  from (
    select count(*)::int as n, array_agg(s.block) as b, greatest(max(s.block) + 1,
      (select relpages::int from pg_class where oid = 'products'::regclass), 1) as pages
    from (select (p.ctid::text::point)[0]::int as block from products p
          where ${where.join(' and ')} limit ${limit}) s
  ) a`;
}

export function buildCappedCount(search: ProductSearch, plan: SearchPlan, cap: number): BuiltQuery {
  const params = new Params();
  return { sql: cappedCount(search, plan, cap, params), values: params.values };
}

/** How the head statement counts the matches (up to a cap). */
export type HeadCount =
  /** Every match, counted from the table (GIN bitmap, then at most `cap` rows). */
  | { readonly kind: 'matches'; readonly cap: number }
  /**
   * The products whose name holds this lexeme, from the index alone: for a one-word search
   * without filters, enough to know that the search is broad without touching the table.
   */
  | { readonly kind: 'name'; readonly lexeme: string; readonly cap: number };

/** A row of the head statement: its counts, and a product of the page unless `tier` is null. */
export interface HeadRow {
  readonly exactCount: number;
  /** The matches (or, by `name`, the names holding the word) counted up to the cap. */
  readonly capped: number;
  /** With `matches` counted up to the cap: the estimate of all (see `cappedCount`). */
  readonly estimate: number | null;
  readonly tier: 0 | 1 | null;
}

/**
 * One statement for the usual page: the exact-name tier, the name tier from the offset left after
 * the exact names (`limit` rows of each at most; the caller keeps the first `limit`), the number
 * of exact names and the capped count of the matches. One row at least (counts, no product) even
 * when nothing matches.
 */
export function buildHead(
  search: ProductSearch,
  plan: SearchPlan,
  offset: number,
  limit: number,
  count: HeadCount,
): BuiltQuery {
  const params = new Params();
  const exact = tierQuery('exact', search, plan, params) as TierQuery;
  const named = tierQuery('name', search, plan, params);
  const n = params.add(limit);
  const o = params.add(offset);
  const counted =
    count.kind === 'matches'
      ? cappedCount(search, plan, count.cap, params)
      : `select count(*)::int as n, null::int as estimate
  from (select 1 from product_name_terms t where t.lexeme = ${params.add(count.lexeme)} limit ${params.add(count.cap)}) s`;
  const namedCte = named
    ? `, named as (
  select t.product_id as id, t.name
  from ${named.from}
  where ${named.where.join('\n    and ')}
  order by ${named.order}
  limit ${n} offset greatest(0, ${o} - (select count(*) from exact))
)`
    : '';
  const namedPage = named ? `\n  union all\n  select 1, id, name from named` : '';
  return {
    sql: `with exact as materialized (
  select p.id, p.name from ${exact.from} where ${exact.where.join(' and ')}
)${namedCte}, page as (
  (select 0 as tier, id, name from exact order by name, id limit ${n} offset ${o})${namedPage}
), counts as (
  select (select count(*) from exact)::int as "exactCount", m.n as capped, m.estimate
  from (${counted}) m
)
select c."exactCount", c.capped, c.estimate, pg.tier, ${PRODUCT_COLUMNS}
from counts c left join (page pg join products p on p.id = pg.id) on true
order by pg.tier, pg.name, pg.id`,
    values: params.values,
  };
}

/** One row of the word lookup: a searched word or a correction candidate for it. */
export interface WordRow {
  /** The searched word as sent. */
  readonly word: string;
  /** The word folded (lower case, no accents), as the dictionary holds words. */
  readonly folded: string;
  /** The candidate dictionary word; null on the row of the searched word itself. */
  readonly term: string | null;
  /** The lexeme of the word (or candidate); null for a stop word. */
  readonly lexeme: string | null;
  /** How many products use a word of this lexeme (an upper bound: inactive ones count). */
  readonly docs: number;
  /** Whether some active product's name holds this lexeme. */
  readonly inNames: boolean;
}

/**
 * One round trip for what the search needs to know about its words: each word's lexeme, how many
 * products use it and whether any name holds it; and for each word long enough to carry a typo
 * whose lexeme no product uses, the dictionary words that look like it (trigram candidates; the
 * service keeps those within the typo budget). The SQL lives in `search_word_stats` (migration
 * SearchWordLookup), which keeps a generic plan instead of planning it for every search.
 */
export function buildWordLookup(words: readonly string[], minTypoLength: number): BuiltQuery {
  return {
    sql: 'select * from search_word_stats($1::text[], $2::int)',
    values: [words, minTypoLength],
  };
}
