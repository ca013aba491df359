import { ProductsTestEnvironment, type RunningProducts } from './support/products-app';

interface Page {
  items: { id: string; name: string }[];
  total: number;
  correctedQuery?: string;
}

/**
 * The relevance set: what a shopper types (typos included) and what must come first, on the
 * default seed catalog. The typo budget is Meilisearch's default: one typo from five letters,
 * two from nine, a swap of neighbouring letters counting as one.
 */
const RELEVANCE: readonly { q: string; first: RegExp[]; corrected?: string }[] = [
  { q: 'contoso kettle', first: [/contoso/i, /kettle/i] },
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

  it.each(RELEVANCE)('$q puts the right product first', async ({ q, first, corrected }) => {
    const page = await search(q);
    expect(page.total).toBeGreaterThan(0);
    for (const pattern of first) expect(page.items[0]?.name).toMatch(pattern);
    expect(page.correctedQuery).toBe(corrected);
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
  });
});
