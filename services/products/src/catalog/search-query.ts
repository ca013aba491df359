/** Sort orders of the product list. `relevance` only means something with a search text. */
export const PRODUCT_SORTS = ['relevance', 'price_asc', 'price_desc', 'newest'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

export interface ProductSearch {
  readonly q?: string;
  /** A category id (UUID) or slug. */
  readonly category?: string;
  readonly minPrice?: number;
  readonly maxPrice?: number;
  readonly inStock?: boolean;
  readonly sort?: ProductSort;
  readonly page: number;
  readonly limit: number;
}

/**
 * How a search text is matched: `fts` ranks the weighted tsvector (name A, description B);
 * `fuzzy` is the trigram fallback on the name (word similarity), for typos FTS cannot match.
 */
export type MatchMode = 'fts' | 'fuzzy';

export interface BuiltQuery {
  readonly sql: string;
  readonly values: unknown[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Columns of a product as the API returns it. */
export const PRODUCT_COLUMNS = `p.id, p.sku, p.name, p.description, p.price::int as price, p.currency,
  p.category_id as "categoryId", p.attributes, p.active, p.created_at as "createdAt",
  p.updated_at as "updatedAt"`;

/** The search text with whitespace collapsed, or undefined when nothing is left. */
export function normaliseSearchText(q: string | undefined): string | undefined {
  const text = q?.replace(/\s+/g, ' ').trim();
  return text ? text : undefined;
}

/** Collects parameter values and hands out their placeholders (`$1`, `$2`, ...). */
export class Params {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** The text search configuration of the stored vector: english with accents folded. */
export const TS_CONFIG = `'english_unaccent'`;

/** The tsquery of a search text (websearch syntax: quotes, `or`, `-word`). */
export const tsQuery = (placeholder: string): string =>
  `websearch_to_tsquery(${TS_CONFIG}, ${placeholder})`;

/** The conditions of the non-text filters (category, price, stock) on products `p`. */
export function filterConditions(search: ProductSearch, params: Params): string[] {
  const where: string[] = [];
  if (search.category) {
    where.push(
      UUID.test(search.category)
        ? `p.category_id = ${params.add(search.category)}::uuid`
        : `p.category_id = (select c.id from categories c where c.slug = ${params.add(search.category)})`,
    );
  }
  if (search.minPrice !== undefined) where.push(`p.price >= ${params.add(search.minPrice)}`);
  if (search.maxPrice !== undefined) where.push(`p.price <= ${params.add(search.maxPrice)}`);
  if (search.inStock === true) {
    where.push(
      `exists (select 1 from inventory i where i.product_id = p.id and i.on_hand - i.reserved > 0)`,
    );
  } else if (search.inStock === false) {
    where.push(
      `not exists (select 1 from inventory i where i.product_id = p.id and i.on_hand - i.reserved > 0)`,
    );
  }
  return where;
}

/** Whether the search narrows by anything but the text. */
export function hasFilters(search: ProductSearch): boolean {
  return (
    search.category !== undefined ||
    search.minPrice !== undefined ||
    search.maxPrice !== undefined ||
    search.inStock !== undefined
  );
}

interface Filters {
  readonly where: string[];
  readonly values: unknown[];
  readonly rank?: string;
  readonly param: (value: unknown) => string;
}

/** The WHERE conditions (and rank expression) shared by the page and the count. */
function filters(search: ProductSearch, mode: MatchMode): Filters {
  const params = new Params();
  const param = (value: unknown): string => params.add(value);
  const where = ['p.active'];
  let rank: string | undefined;
  const q = normaliseSearchText(search.q);
  if (q) {
    const text = param(q);
    if (mode === 'fts') {
      where.push(`p.search @@ ${tsQuery(text)}`);
      rank = `ts_rank_cd(p.search, ${tsQuery(text)})`;
    } else {
      // `<%`: the text is similar to some run of words in the name (pg_trgm's word similarity,
      // threshold pg_trgm.word_similarity_threshold, 0.6 by default), served by the trigram index.
      where.push(`${text} <% p.name`);
      rank = `word_similarity(${text}, p.name)`;
    }
  }
  where.push(...filterConditions(search, params));
  return { where, values: params.values, rank, param };
}

/**
 * One SQL statement for a page of active products plus the total (a window count), with every
 * user value passed as a parameter. Without a search text `mode` is ignored.
 *
 * The inner query ranks, counts and cuts the page on narrow rows (id and sort keys); only the
 * page's rows are then read in full, so thousands of matches are not carried through the window.
 */
export function buildProductSearch(search: ProductSearch, mode: MatchMode = 'fts'): BuiltQuery {
  const { where, values, rank, param } = filters(search, mode);
  const sort = search.sort ?? (rank ? 'relevance' : 'newest');
  const order = (rankColumn: string) =>
    sort === 'price_asc'
      ? 'p.price asc, p.id asc'
      : sort === 'price_desc'
        ? 'p.price desc, p.id asc'
        : sort === 'relevance' && rank
          ? `${rankColumn} desc, p.name asc, p.id asc`
          : 'p.created_at desc, p.id asc';
  const limit = param(search.limit);
  const offset = param((search.page - 1) * search.limit);
  const sql = `with page as (
  select p.id, ${rank ?? '0::real'} as rank, count(*) over()::int as total
  from products p
  where ${where.join('\n    and ')}
  order by ${order(rank ?? '0')}
  limit ${limit} offset ${offset}
)
select ${PRODUCT_COLUMNS}, page.total as "total"
from page join products p on p.id = page.id
order by ${order('page.rank')}`;
  return { sql, values };
}

/** The same filters as `buildProductSearch`, counting only (for a page past the end). */
export function buildProductCount(search: ProductSearch, mode: MatchMode = 'fts'): BuiltQuery {
  const { where, values } = filters(search, mode);
  return {
    sql: `select count(*)::int as "total"\n  from products p\n  where ${where.join('\n    and ')}`,
    values,
  };
}
