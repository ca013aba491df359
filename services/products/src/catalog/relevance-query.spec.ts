import { buildCappedCount, buildHead, buildTierPage, buildWordLookup } from './relevance-query';

describe('relevance query', () => {
  const search = { page: 1, limit: 20 };
  const plan = { text: 'wireless speaker', nameLexemes: ['speaker', 'wireless'] };

  it('walks the rarest name word in name order and probes the others', () => {
    const page = buildTierPage('name', search, plan, 40, 20);
    expect(page?.sql).toContain('from product_name_terms t join products p on p.id = t.product_id');
    expect(page?.sql).toContain('t.lexeme = $');
    expect(page?.sql).toContain('exists (select 1 from product_name_terms o where o.lexeme = $');
    expect(page?.sql).toContain('order by t.name, t.product_id');
    expect(page?.sql).toContain(`p.search @@ websearch_to_tsquery('english_unaccent', $1)`);
    expect(page?.sql).toContain('search_fold(p.name) <> search_fold($1)');
    expect(page?.values).toEqual(['wireless speaker', 'speaker', 'wireless', 20, 40]);
  });

  it('has no name tier when no searched word is in any name', () => {
    expect(buildTierPage('name', search, { text: 'bamboo', nameLexemes: [] }, 0, 20)).toBe(
      undefined,
    );
    const rest = buildTierPage('rest', search, { text: 'bamboo', nameLexemes: [] }, 0, 20);
    expect(rest?.sql).not.toContain('ts_filter');
  });

  it('ranks the rest: matches whose name lacks a name word', () => {
    const rest = buildTierPage('rest', search, plan, 0, 20);
    expect(rest?.sql).toContain(
      `not (tsvector_to_array(ts_filter(p.search, '{a}')) @> $2::text[])`,
    );
    expect(rest?.sql).toContain('order by rank desc, p.name, p.id');
    expect(rest?.values).toEqual(['wireless speaker', ['speaker', 'wireless'], 20, 0]);
  });

  it('puts exact names, the name tier and the counts in one statement', () => {
    const head = buildHead({ ...search, category: 'audio', maxPrice: 5000 }, plan, 0, 20, {
      kind: 'matches',
      cap: 201,
    });
    expect(head.sql).toContain('search_fold(p.name) = search_fold($1)');
    expect(head.sql).toContain('offset greatest(0, ');
    expect(head.sql).toContain('from counts c left join (page pg join products p');
    expect(head.sql).toContain('order by pg.tier, pg.name, pg.id');
    expect(head.sql).toContain('c.slug = $');
    expect(head.values).toContain(201);
    expect(head.values).toContain('audio');

    const byName = buildHead(search, { text: 'kettle', nameLexemes: ['kettl'] }, 0, 20, {
      kind: 'name',
      lexeme: 'kettl',
      cap: 201,
    });
    expect(byName.sql).toContain('from (select 1 from product_name_terms t where t.lexeme = $');
  });

  it('extrapolates a capped count from the blocks it read', () => {
    const count = buildCappedCount(search, plan, 201);
    expect(count.sql).toContain('(p.ctid::text::point)[0]');
    expect(count.sql).toContain('% a.pages');
    expect(count.values).toEqual(['wireless speaker', 201]);
  });

  it('asks the word lookup function, which keeps its plan, with the words as an array', () => {
    const lookup = buildWordLookup(['kestrel', 'smartwtach'], 5);
    expect(lookup.sql).toBe('select * from search_word_stats($1::text[], $2::int)');
    expect(lookup.values).toEqual([['kestrel', 'smartwtach'], 5]);
  });

  it('finds exact names through the name index alone, the match checked on those rows', () => {
    const head = buildHead(search, plan, 0, 20, { kind: 'matches', cap: 201 });
    expect(head.sql).toContain(
      'from (select * from products p where search_fold(p.name) = search_fold($1) and p.active offset 0) p',
    );
  });

  it('passes every user value as a parameter, never in the SQL text', () => {
    const text = "'; drop table products; --";
    const evil = { text, nameLexemes: ["x'y"] };
    for (const built of [
      buildHead({ ...search, category: "a'--" }, evil, 0, 20, { kind: 'matches', cap: 10 }),
      buildTierPage('rest', search, evil, 0, 20),
      buildWordLookup([text], 5),
    ]) {
      expect(built?.sql).not.toContain('drop table');
      expect(built?.sql).not.toContain("x'y");
      expect(built?.sql).not.toContain("a'--");
    }
  });
});
