import { buildProductCount, buildProductSearch, normaliseSearchText } from './search-query';

describe('product search query', () => {
  const base = { page: 1, limit: 20 };

  it('lists active products, newest first, without a search text', () => {
    const { sql, values } = buildProductSearch(base);
    expect(sql).toContain('where p.active');
    expect(sql).toContain('order by p.created_at desc, p.id asc');
    expect(sql).not.toContain('@@');
    expect(values).toEqual([20, 0]);
  });

  it('matches the weighted tsvector and ranks by it for a search text', () => {
    const { sql, values } = buildProductSearch({ ...base, q: '  wireless   headphones ' });
    expect(sql).toContain(`p.search @@ websearch_to_tsquery('english_unaccent', $1)`);
    expect(sql).toContain(
      `order by ts_rank_cd(p.search, websearch_to_tsquery('english_unaccent', $1)) desc`,
    );
    expect(values[0]).toBe('wireless headphones');
  });

  it('uses trigram word similarity on the name in fuzzy mode', () => {
    const { sql } = buildProductSearch({ ...base, q: 'hedphones' }, 'fuzzy');
    expect(sql).toContain('$1 <% p.name');
    expect(sql).toContain('order by word_similarity($1, p.name) desc');
    expect(sql).not.toContain('@@');
  });

  it('passes every user value as a parameter, never in the SQL text', () => {
    const q = "'; drop table products; --";
    const { sql, values } = buildProductSearch({
      ...base,
      q,
      category: "audio'--",
      minPrice: 100,
      maxPrice: 200,
      inStock: true,
      sort: 'price_desc',
      page: 3,
    });
    expect(sql).not.toContain('drop table');
    expect(sql).not.toContain("audio'");
    expect(values).toEqual([q, "audio'--", 100, 200, 20, 40]);
    expect(sql).toContain('c.slug = $2');
    expect(sql).toContain('p.price >= $3');
    expect(sql).toContain('p.price <= $4');
    expect(sql).toContain('i.on_hand - i.reserved > 0');
    expect(sql).toContain('order by p.price desc, p.id asc');
    expect(sql).toContain('limit $5 offset $6');
  });

  it('takes a UUID category as an id and anything else as a slug', () => {
    const id = '0b7e1a52-3f4c-4d1e-9a3b-2c1d0e9f8a7b';
    expect(buildProductSearch({ ...base, category: id }).sql).toContain('p.category_id = $1::uuid');
    expect(buildProductSearch({ ...base, category: 'audio' }).sql).toContain('c.slug = $1');
  });

  it('filters for out-of-stock products with inStock=false', () => {
    expect(buildProductSearch({ ...base, inStock: false }).sql).toContain('not exists');
  });

  it('falls back to newest for relevance without a search text', () => {
    expect(buildProductSearch({ ...base, sort: 'relevance' }).sql).toContain(
      'order by p.created_at desc',
    );
  });

  it('counts with the same filters and without paging', () => {
    const { sql, values } = buildProductCount({ ...base, q: 'lamp', maxPrice: 500, page: 9 });
    expect(sql).toMatch(/^select count\(\*\)::int as "total"\n {2}from products p/);
    expect(sql).toContain('p.price <= $2');
    expect(sql).not.toContain('limit');
    expect(sql).not.toContain('order by');
    expect(values).toEqual(['lamp', 500]);
  });

  it('treats blank search text as none', () => {
    expect(normaliseSearchText('   ')).toBeUndefined();
    expect(normaliseSearchText(undefined)).toBeUndefined();
    expect(normaliseSearchText(' a \t b ')).toBe('a b');
  });
});
