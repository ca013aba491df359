import { ProductsTestEnvironment, type RunningProducts } from './support/products-app';

interface Page {
  items: { id: string; name: string; description: string }[];
  total: number;
  totalIsEstimate: boolean;
  correctedQuery?: string;
}

/**
 * Every page of a search, `limit` at a time, until a short page (at most 100 pages): each answer
 * and the ids in the order the pages gave them.
 */
async function pageThrough(
  app: RunningProducts,
  q: string,
  limit: number,
): Promise<{ pages: Page[]; seen: string[] }> {
  const pages: Page[] = [];
  for (let page = 1; page <= 100; page++) {
    const res = await app.request<Page>(
      'GET',
      `/products?q=${encodeURIComponent(q)}&limit=${limit}&page=${page}`,
    );
    expect(res.status).toBe(200);
    pages.push(res.body);
    if (res.body.items.length < limit) break;
  }
  return { pages, seen: pages.flatMap((p) => p.items.map((i) => i.id)) };
}

/**
 * The relevance set: what a shopper types (typos, accents, several words included) and what must
 * come first, on the default seed catalog (names "Brand Adjective Kind Model", descriptions naming
 * a colour, a material and a companion product of another kind). The typo budget is Meilisearch's
 * default: one typo from five letters, two from nine, a swap of neighbouring letters counting as
 * one. `first` is matched against the first result's name, `description` against its description.
 */
const RELEVANCE: readonly {
  q: string;
  first: RegExp[];
  description?: RegExp;
  corrected?: string;
}[] = [
  { q: 'contoso kettle', first: [/contoso/i, /kettle/i] },
  { q: 'wireless speaker', first: [/wireless/i, /speaker/i] },
  // "bamboo" is only ever in descriptions: desk lamps in bamboo before things that go with one.
  { q: 'bamboo desk lamp', first: [/desk lamp/i], description: /bamboo/i },
  { q: 'coffee grinder', first: [/coffee grinder/i] },
  { q: 'headphone', first: [/headphones/i] }, // same stem: nothing to correct
  { q: 'HEADPHONES', first: [/headphones/i] },
  { q: 'kettle -contoso', first: [/kettle/i] },
  { q: 'bakcpack', first: [/backpack/i], corrected: 'backpack' },
  { q: 'Cotnoso', first: [/contoso/i], corrected: 'contoso' },
  { q: 'kestrel smartwatch', first: [/kestrel/i, /smartwatch/i] },
  { q: 'cotnoso', first: [/contoso/i], corrected: 'contoso' },
  { q: 'bakcpack', first: [/backpack/i], corrected: 'backpack' },
  { q: 'kettel', first: [/kettle/i], corrected: 'kettle' },
  { q: 'headphnoes', first: [/headphones/i], corrected: 'headphones' },
  { q: 'hedphnoes', first: [/headphones/i], corrected: 'headphones' },
  { q: 'smartwtach', first: [/smartwatch/i], corrected: 'smartwatch' },
  { q: 'Cotnoso kettel', first: [/contoso/i, /kettle/i], corrected: 'contoso kettle' },
  { q: 'ultralgiht tent', first: [/ultralight/i, /tent/i], corrected: 'ultralight tent' },
  { q: 'blendr', first: [/blender/i], corrected: 'blender' },
];

describe('products service: search relevance and typo tolerance', () => {
  const env = new ProductsTestEnvironment();
  let svc: RunningProducts;

  const search = async (q: string): Promise<Page> => {
    const res = await svc.request<Page>('GET', `/products?q=${encodeURIComponent(q)}&limit=5`);
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    await env.setUp();
    svc = await env.start({ SEED_CATALOG: 'true' });
  });
  afterAll(() => env.tearDown());

  it.each(RELEVANCE)(
    '$q puts the right product first',
    async ({ q, first, description, corrected }) => {
      const page = await search(q);
      expect(page.total).toBeGreaterThan(0);
      for (const pattern of first) expect(page.items[0]?.name).toMatch(pattern);
      if (description) expect(page.items[0]?.description).toMatch(description);
      expect(page.correctedQuery).toBe(corrected);
    },
  );

  it('excludes negated words', async () => {
    const page = await search('kettle -contoso');
    expect(page.items.length).toBeGreaterThan(0);
    for (const item of page.items)
      expect(`${item.name} ${item.description}`).not.toMatch(/contoso/i);
  });

  it('puts an exact name first, whatever the alphabet says', async () => {
    const exact = await svc.product(3, { name: 'Kettle' });
    const page = await search('kettle');
    expect(page.items[0]?.id).toBe(exact.id);
    expect(page.items[1]?.name).toMatch(/kettle/i);
    // Case, accents and spaces do not matter to an exact name.
    const accented = await svc.product(3, { name: 'Crème Brûlée Torch' });
    expect((await search('  creme   BRULEE torch ')).items[0]?.id).toBe(accented.id);
  });

  it('folds accents both ways and corrects typos in accented words', async () => {
    const cafe = await svc.product(3, {
      name: 'Zürich Café Grinder',
      description: 'Espresso-fine',
    });
    const plain = await svc.product(3, { name: 'Zurich Cafe Press' });
    for (const q of ['zurich cafe', 'Zürich Café', 'ZURICH CAFÉ']) {
      const ids = (await search(q)).items.map((i) => i.id);
      expect(ids).toEqual(expect.arrayContaining([cafe.id, plain.id]));
    }
    const typo = await search('zuirch');
    expect(typo.correctedQuery).toBe('zurich');
    expect(typo.items.map((i) => i.id)).toEqual(expect.arrayContaining([cafe.id, plain.id]));
  });

  it('does not correct words too short for a typo, nor beyond the budget', async () => {
    // "tnet" (4 letters) may carry no typo; "kteelt" is three edits from "kettle".
    expect((await search('tnet')).correctedQuery).toBeUndefined();
    expect((await search('kteelt')).correctedQuery).toBeUndefined();
    expect((await search('zzqxjv')).total).toBe(0);
  });

  it('learns the words of new products and forgets renamed ones', async () => {
    const product = await svc.product(5, { name: 'Zephyrine Aurora Lantern' });
    const found = await search('zephyirne');
    expect(found.correctedQuery).toBe('zephyrine');
    expect(found.items[0]?.id).toBe(product.id);

    const renamed = await svc.request('PATCH', `/products/${product.id}`, {
      token: svc.admin,
      body: { name: 'Quillfeather Lantern' },
    });
    expect(renamed.status).toBe(200);
    expect((await search('zephyirne')).correctedQuery).toBeUndefined();
    const after = await search('quillfaether');
    expect(after.correctedQuery).toBe('quillfeather');
    expect(after.items[0]?.id).toBe(product.id);

    const { rows } = await env.sql.query<{ docs: number }>(
      `select docs from search_terms where term = 'zephyrine'`,
    );
    expect(rows).toEqual([{ docs: 0 }]);

    // A deactivated product leaves the name index with the search.
    expect(
      (await svc.request('DELETE', `/products/${product.id}`, { token: svc.admin })).status,
    ).toBe(200);
    expect((await search('quillfeather')).total).toBe(0);
    const names = await env.sql.query(`select 1 from product_name_terms where product_id = $1`, [
      product.id,
    ]);
    expect(names.rows).toEqual([]);
  });

  it('pages through a broad search without repeats or gaps, its total estimated', async () => {
    // A second instance on the same catalog that counts exactly up to 10 matches only.
    const small = await env.start({ SEARCH_EXACT_TOTAL_UP_TO: '10' });
    const { rows } = await env.sql.query<{ id: string; in_name: boolean }>(
      `select id, name ~* 'headphones' as in_name from products
       where active and search @@ websearch_to_tsquery('english_unaccent', 'headphones')`,
    );
    expect(rows.length).toBeGreaterThan(20);
    // A page size that leaves a short last page, which tells where the matches end.
    const limit = rows.length % 7 === 0 ? 8 : 7;
    const { pages, seen } = await pageThrough(small, 'headphones', limit);
    expect(pages[0]?.totalIsEstimate).toBe(true);
    expect(pages[0]?.total).toBeGreaterThan(10);
    const last = pages.at(-1);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(rows.map((r) => r.id).sort());
    // The last page knows where the matches end.
    expect(last).toMatchObject({ total: rows.length, totalIsEstimate: false });
    // Names holding the word come before descriptions that merely mention it.
    const inName = new Set(rows.filter((r) => r.in_name).map((r) => r.id));
    const firstOther = seen.findIndex((id) => !inName.has(id));
    expect(seen.slice(firstOther).some((id) => inName.has(id))).toBe(false);
    // The default instance counts this one exactly.
    const exact = await search('headphones');
    expect(exact).toMatchObject({ total: rows.length, totalIsEstimate: false });
    // Past the end: no items, still a total.
    const past = await small.request<Page>('GET', '/products?q=headphones&limit=7&page=500');
    expect(past.body.items).toEqual([]);
    expect(past.body.total).toBeGreaterThan(10);
  });
  it('pages through a multi-word search, its exact name first, without repeats or gaps', async () => {
    const exact = await svc.product(2, { name: 'Coffee Grinder' });
    const small = await env.start({ SEARCH_EXACT_TOTAL_UP_TO: '10' });
    const { rows } = await env.sql.query<{ id: string }>(
      `select id from products
       where active and search @@ websearch_to_tsquery('english_unaccent', 'coffee grinder')`,
    );
    expect(rows.length).toBeGreaterThan(20);
    const limit = rows.length % 7 === 0 ? 8 : 7;
    const { pages, seen } = await pageThrough(small, 'Coffee  GRINDER', limit);
    expect(pages[0]?.items[0]?.id).toBe(exact.id);
    // Above the exact count, extrapolated from the capped count.
    expect(pages[0]).toMatchObject({ totalIsEstimate: true });
    expect(pages[0]?.total).toBeGreaterThan(10);
    const last = pages.at(-1);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(rows.map((r) => r.id).sort());
    expect(last).toMatchObject({ total: rows.length, totalIsEstimate: false });
  });
});
