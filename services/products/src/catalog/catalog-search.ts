import type { ProductDto, ProductListDto } from './catalog.dto';
import {
  type HeadRow,
  type SearchPlan,
  type Tier,
  type WordRow,
  buildCappedCount,
  buildHead,
  buildTierCount,
  buildTierPage,
  buildWordLookup,
} from './relevance-query';
import {
  type BuiltQuery,
  type MatchMode,
  type ProductSearch,
  buildProductCount,
  buildProductSearch,
  hasFilters,
  normaliseSearchText,
} from './search-query';
import { applyCorrections, chooseCorrections, searchWords, typoBudget } from './typo-correction';

/** Anything that runs a parameterised statement and returns its rows (one connection). */
export interface SearchDb {
  rows<T>(sql: string, values: unknown[]): Promise<T[]>;
}

export interface CatalogSearchOptions {
  /**
   * Totals are counted exactly up to this many matches; above, `total` is an estimate (the
   * dictionary's count of products using the rarest searched word) and `totalIsEstimate` is true.
   */
  readonly exactTotalUpTo: number;
}

type Page = Omit<ProductListDto, 'page' | 'limit'>;

/** Shortest word that may carry a typo (Meilisearch's default: one typo from five letters). */
const MIN_TYPO_LENGTH = [...Array(10).keys()].find((n) => typoBudget('x'.repeat(n)) > 0) ?? 5;

/**
 * Catalog search over one connection: the plain SQL of `relevance-query.ts` and
 * `search-query.ts`, driven here. The service runs it per request; the catalog benchmark runs the
 * same code over a bare `pg` client, to show what HTTP and Nest add.
 */
export class CatalogSearch {
  constructor(
    private readonly db: SearchDb,
    private readonly options: CatalogSearchOptions,
  ) {}

  async search(search: ProductSearch): Promise<ProductListDto> {
    const q = normaliseSearchText(search.q);
    const paging = { page: search.page, limit: search.limit };
    if (!q) return { ...(await this.listed(search, 'fts')), ...paging };
    if ((search.sort ?? 'relevance') !== 'relevance') {
      // Sorted by price or date: every match takes part, counted exactly.
      const plan = await this.plan(q);
      const result = await this.listed({ ...search, q: plan.text }, 'fts');
      return { ...result, ...corrected(q, plan.text, result.total), ...paging };
    }
    const plan = await this.plan(q);
    let result = await this.ranked(search, plan);
    if (result.total === 0 && search.page === 1) {
      // Nothing within the typo budget: the trigram match on names is the last resort.
      result = await this.listed(search, 'fuzzy');
      return { ...result, ...paging };
    }
    return { ...result, ...corrected(q, plan.text, result.total), ...paging };
  }

  /** The search text with its misspelt words corrected, and what the search needs to know. */
  async plan(q: string): Promise<SearchPlan & { readonly docs: number }> {
    const words = [...new Set(searchWords(q))];
    if (words.length === 0) return { text: q, nameLexemes: [], docs: 0 };
    const lookup = buildWordLookup(words, MIN_TYPO_LENGTH);
    const rows = await this.db.rows<WordRow>(lookup.sql, lookup.values);
    const own = new Map(rows.filter((r) => r.term === null).map((r) => [r.word, r]));
    const candidates = rows.filter((r): r is WordRow & { term: string } => r.term !== null);
    const chosen = chooseCorrections(
      candidates.map((c) => c.folded),
      candidates.map((c) => ({ word: c.folded, term: c.term, docs: c.docs })),
    );
    const byWord = new Map<string, string>();
    const used: WordRow[] = [];
    for (const word of words) {
      const row = own.get(word);
      if (!row) continue;
      const to = chosen.get(row.folded);
      if (to === undefined) {
        used.push(row);
        continue;
      }
      byWord.set(word, to);
      const candidate = candidates.find((c) => c.folded === row.folded && c.term === to);
      if (candidate) used.push(candidate);
    }
    const text = applyCorrections(q, byWord)?.text ?? q;
    const syntax = websearchSyntax(text);
    const lexemes = new Map<string, WordRow>();
    for (const row of used) {
      if (row.lexeme !== null && !syntax.negated.has(row.term ?? row.word)) {
        lexemes.set(row.lexeme, row);
      }
    }
    const stats = [...lexemes.values()];
    // A disjunction has no word every match holds, so no name walk serves it.
    const nameLexemes = syntax.or
      ? []
      : stats
          .filter((r) => r.inNames)
          .sort((a, b) => a.docs - b.docs || (a.lexeme as string).localeCompare(b.lexeme as string))
          .map((r) => r.lexeme as string);
    const docs = syntax.or
      ? stats.reduce((sum, r) => sum + r.docs, 0)
      : Math.min(...stats.map((r) => r.docs));
    return { text, nameLexemes, docs: Number.isFinite(docs) ? docs : 0 };
  }

  /**
   * A page of the relevance order (tiers exact, name, rest) and its total. The usual page takes
   * one statement (`buildHead`); the rest tier is asked only when the first two end on the page.
   */
  private async ranked(
    search: ProductSearch,
    plan: SearchPlan & { readonly docs: number },
  ): Promise<Page> {
    const offset = (search.page - 1) * search.limit;
    const cap = this.options.exactTotalUpTo + 1;
    const [lexeme] = plan.nameLexemes;
    // One plain word, no filters: its name rows alone may already show the search is broad.
    const byName =
      lexeme !== undefined &&
      plan.nameLexemes.length === 1 &&
      !hasFilters(search) &&
      isPlain(plan.text) &&
      searchWords(plan.text).length === 1;
    const head = await this.rows<HeadRow & ProductDto>(
      buildHead(search, plan, offset, search.limit, {
        ...(byName ? { kind: 'name', lexeme } : { kind: 'matches' }),
        cap,
      }),
    );
    const { exactCount, capped, estimate } = head[0] as HeadRow;
    const items = head
      .filter((row) => row.tier !== null)
      .slice(0, search.limit)
      .map(({ exactCount: _e, capped: _c, estimate: _s, tier: _t, ...item }) => item);
    const need = search.limit - items.length;
    if (need > 0) {
      // The exact and name tiers end on this page or before it: the rest tier follows.
      const nameSkip = Math.max(0, offset - exactCount);
      const named = items.length - Math.max(0, Math.min(search.limit, exactCount - offset));
      const nameSize =
        plan.nameLexemes.length === 0
          ? 0
          : named > 0 || nameSkip === 0
            ? nameSkip + named
            : await this.tierSize('name', search, plan);
      const rest = buildTierPage('rest', search, plan, Math.max(0, nameSkip - nameSize), need);
      if (rest) items.push(...(await this.rows<ProductDto>(rest)));
    }
    if (items.length < search.limit && (items.length > 0 || offset === 0)) {
      return { items, total: offset + items.length, totalIsEstimate: false };
    }
    // Exact up to `exactTotalUpTo` matches, counting no further; above, an estimate: for one
    // word, the dictionary's count of products using it; else the count's own extrapolation.
    const estimated = (total: number | null) => ({
      items,
      total: Math.max(cap, total ?? plan.docs),
      totalIsEstimate: true,
    });
    if (capped >= cap) return estimated(byName ? plan.docs : estimate);
    if (!byName) return { items, total: capped, totalIsEstimate: false };
    // Fewer names than the cap hold the word: count its other matches too.
    const [row] = await this.rows<{ n: number; estimate: number | null }>(
      buildCappedCount(search, plan, cap),
    );
    const n = row?.n ?? 0;
    return n >= cap
      ? estimated(row?.estimate ?? null)
      : { items, total: n, totalIsEstimate: false };
  }

  private async tierSize(tier: Tier, search: ProductSearch, plan: SearchPlan): Promise<number> {
    const count = buildTierCount(tier, search, plan);
    if (!count) return 0;
    const [row] = await this.rows<{ n: number }>(count);
    return row?.n ?? 0;
  }

  /** The single-statement list: no text, another sort, or the trigram fallback. */
  private async listed(search: ProductSearch, mode: MatchMode): Promise<Page> {
    const rows = await this.rows<ProductDto & { total: number }>(buildProductSearch(search, mode));
    if (rows.length > 0) {
      return {
        items: rows.map(({ total: _total, ...item }) => item),
        total: rows[0]?.total ?? 0,
        totalIsEstimate: false,
      };
    }
    if (search.page === 1) return { items: [], total: 0, totalIsEstimate: false };
    // Past the last page: the window count has no row to ride on.
    const [row] = await this.rows<{ total: number }>(buildProductCount(search, mode));
    return { items: [], total: row?.total ?? 0, totalIsEstimate: false };
  }

  private rows<T>(query: BuiltQuery): Promise<T[]> {
    return this.db.rows<T>(query.sql, query.values);
  }
}

/** `correctedQuery` when a typo was corrected and the corrected text found something. */
function corrected(q: string, text: string, total: number): { correctedQuery?: string } {
  return text !== q && total > 0 ? { correctedQuery: text } : {};
}

/** Letters, digits and spaces only: the text means "all these words", nothing more. */
function isPlain(text: string): boolean {
  return /^[\p{L}\p{N} ]+$/u.test(text);
}

/** The websearch operators in a text that change which words every match holds. */
function websearchSyntax(text: string): { or: boolean; negated: Set<string> } {
  const negated = new Set<string>();
  for (const match of text.matchAll(/(?:^|\s)-+([\p{L}\p{N}]+)/gu)) {
    negated.add((match[1] as string).toLowerCase());
  }
  return { or: /(?:^|\s)or(?:\s|$)/iu.test(text), negated };
}
