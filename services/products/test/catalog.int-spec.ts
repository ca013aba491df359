import { randomUUID } from 'node:crypto';
import { DEFAULT_CATALOG_SIZE } from '../src/seed/catalog-generator';
import { ProductsTestEnvironment, type RunningProducts, errorShape } from './support/products-app';

interface Product {
  id: string;
  sku: string;
  name: string;
  description: string;
  price: number;
  currency: string;
  categoryId: string | null;
  active: boolean;
}
interface Page {
  items: Product[];
  total: number;
  page: number;
  limit: number;
}

// Search, filters, paging and admin writes, on the default seed catalog.
describe('products service: catalog and search', () => {
  const env = new ProductsTestEnvironment();
  let svc: RunningProducts;
  let categories: { id: string; slug: string; name: string }[];

  const list = async (query: string) => {
    const res = await svc.request<Page>('GET', `/products?${query}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    await env.setUp();
    svc = await env.start({ SEED_CATALOG: 'true' });
    const res = await svc.request<{ items: typeof categories }>('GET', '/categories');
    categories = res.body.items;
  });
  afterAll(() => env.tearDown());

  it('seeds the default catalog once, with stock, in several categories', async () => {
    const all = await list('limit=1');
    expect(all.total).toBe(DEFAULT_CATALOG_SIZE);
    expect(categories.length).toBeGreaterThanOrEqual(5);
    const { rows } = await env.sql.query(`select count(*)::int as n from inventory`);
    expect(rows[0]).toEqual({ n: DEFAULT_CATALOG_SIZE });
    // A second instance on the same database finds products and seeds nothing more.
    await env.start({ SEED_CATALOG: 'true' });
    expect((await list('limit=1')).total).toBe(DEFAULT_CATALOG_SIZE);
  });

  it('ranks name matches above description matches', async () => {
    const page = await list('q=headphones&limit=100');
    const inName = page.items.filter((p) => /headphones/i.test(p.name));
    const inDescriptionOnly = page.items.filter((p) => !/headphones/i.test(p.name));
    expect(inName.length).toBeGreaterThan(5);
    expect(inDescriptionOnly.length).toBeGreaterThan(5);
    const lastNameMatch = page.items.findIndex((p) => p === inName[inName.length - 1]);
    const firstDescriptionMatch = page.items.findIndex((p) => p === inDescriptionOnly[0]);
    expect(lastNameMatch).toBeLessThan(firstDescriptionMatch);
    expect(page.total).toBe(inName.length + inDescriptionOnly.length);
    for (const p of inDescriptionOnly) expect(p.description).toMatch(/headphones/i);
  });

  it('finds products despite typos', async () => {
    for (const typo of ['hedphones', 'headphons', 'blendr']) {
      const page = await list(`q=${typo}`);
      expect(page.total).toBeGreaterThan(0);
      expect(page.items[0]?.name).toMatch(/headphones|blender/i);
    }
    expect((await list('q=zzqxjv')).total).toBe(0);
  });

  it('filters by category (id or slug), price range and stock, with totals', async () => {
    const audio = categories.find((c) => c.slug === 'audio');
    expect(audio).toBeDefined();
    const bySlug = await list('category=audio&limit=100');
    const byId = await list(`category=${audio?.id}&limit=100`);
    expect(bySlug.total).toBe(byId.total);
    expect(bySlug.total).toBeGreaterThan(100);
    expect(bySlug.items.every((p) => p.categoryId === audio?.id)).toBe(true);

    const cheap = await list('minPrice=2000&maxPrice=5000&sort=price_asc&limit=100');
    expect(cheap.items.every((p) => p.price >= 2000 && p.price <= 5000)).toBe(true);
    const prices = cheap.items.map((p) => p.price);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    const desc = await list('sort=price_desc&limit=5');
    expect(desc.items.map((p) => p.price)).toEqual(
      [...desc.items.map((p) => p.price)].sort((a, b) => b - a),
    );

    const inStock = await list('inStock=true&limit=1');
    const outOfStock = await list('inStock=false&limit=1');
    expect(outOfStock.total).toBeGreaterThan(0);
    expect(inStock.total + outOfStock.total).toBe(DEFAULT_CATALOG_SIZE);
    const { rows } = await env.sql.query(
      `select count(*)::int as n from inventory where on_hand - reserved > 0`,
    );
    expect(inStock.total).toBe((rows[0] as { n: number }).n);

    const combined = await list('q=headphones&category=audio&inStock=true&maxPrice=30000');
    expect(combined.total).toBeGreaterThan(0);
    expect(combined.items.every((p) => p.price <= 30000 && p.categoryId === audio?.id)).toBe(true);
  });

  it('pages with a stable total', async () => {
    const first = await list('category=kitchen&limit=7&page=1');
    const second = await list('category=kitchen&limit=7&page=2');
    expect(first).toMatchObject({ page: 1, limit: 7 });
    expect(second.total).toBe(first.total);
    expect(first.items).toHaveLength(7);
    const ids = new Set([...first.items, ...second.items].map((p) => p.id));
    expect(ids.size).toBe(14);
    const past = await list(`category=kitchen&limit=7&page=1000`);
    expect(past).toMatchObject({ items: [], total: first.total, page: 1000 });
  });

  it('lets admins create, change and deactivate products; others get 401/403', async () => {
    const body = {
      sku: `ADM-${Date.now()}`,
      name: 'Quasar Studio Monitor Headphones',
      description: 'Closed-back, for mixing.',
      price: 12900,
      currency: 'EUR',
      categoryId: categories[0]?.id,
      attributes: { impedance: 80 },
    };
    const anonymous = await svc.request('POST', '/products', { body });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ code: 'TOKEN_MISSING' });
    const customer = await svc.request('POST', '/products', { body, token: svc.customer });
    expect(customer.status).toBe(403);
    expect(customer.body).toMatchObject(errorShape(403, 'FORBIDDEN'));
    expect((await list(`q=quasar`)).total).toBe(0);

    const created = await svc.request<Product>('POST', '/products', { body, token: svc.admin });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...body, id: expect.any(String), active: true });
    const id = created.body.id;
    expect((await list('q=quasar')).items.map((p) => p.id)).toEqual([id]);
    expect(await svc.stock(id)).toEqual({ productId: id, onHand: 0, reserved: 0, available: 0 });

    const dup = await svc.request('POST', '/products', { body, token: svc.admin });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ code: 'SKU_TAKEN' });

    expect(
      (await svc.request('PATCH', `/products/${id}`, { body: { price: 1 }, token: svc.customer }))
        .status,
    ).toBe(403);
    const patched = await svc.request<Product>('PATCH', `/products/${id}`, {
      body: { price: 9900, name: 'Quasar Studio Headphones II' },
      token: svc.admin,
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ price: 9900, name: 'Quasar Studio Headphones II' });

    expect((await svc.request('DELETE', `/products/${id}`)).status).toBe(401);
    expect((await svc.request('DELETE', `/products/${id}`, { token: svc.admin })).status).toBe(200);
    const gone = await svc.request('GET', `/products/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject(errorShape(404, 'NOT_FOUND'));
    expect((await list('q=quasar')).total).toBe(0);
    expect((await svc.request('DELETE', `/products/${id}`, { token: svc.admin })).status).toBe(404);
  });

  it('lets admins create categories and set stock; customers can read stock only', async () => {
    const name = `Garden ${Date.now()}`;
    const anon = await svc.request('POST', '/categories', { body: { name } });
    expect(anon.status).toBe(401);
    expect(
      (await svc.request('POST', '/categories', { body: { name }, token: svc.customer })).status,
    ).toBe(403);
    const created = await svc.request('POST', '/categories', { body: { name }, token: svc.admin });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name, slug: name.toLowerCase().replace(' ', '-') });
    const again = await svc.request('POST', '/categories', { body: { name }, token: svc.admin });
    expect(again.status).toBe(409);

    const { id } = await svc.product(5);
    expect((await svc.request('GET', `/inventory/${id}`)).status).toBe(401);
    const put = await svc.request('PUT', `/inventory/${id}`, {
      body: { onHand: 9 },
      token: svc.customer,
    });
    expect(put.status).toBe(403);
    expect(await svc.stock(id)).toMatchObject({ onHand: 5 });
    const unknown = await svc.request('PUT', `/inventory/${randomUUID()}`, {
      body: { onHand: 9 },
      token: svc.admin,
    });
    expect(unknown.status).toBe(404);
  });

  it('refuses to set stock below what is reserved', async () => {
    const { id } = await svc.product(5);
    expect((await svc.reserve(randomUUID(), [{ productId: id, quantity: 4 }])).status).toBe(201);
    const res = await svc.request('PUT', `/inventory/${id}`, {
      body: { onHand: 3 },
      token: svc.admin,
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'STOCK_BELOW_RESERVED' });
    expect(await svc.stock(id)).toEqual({ productId: id, onHand: 5, reserved: 4, available: 1 });
  });

  it.each([
    ['bad currency', { currency: 'usd' }, 'currency'],
    ['unknown currency', { currency: 'ABC' }, 'currency'],
    ['negative price', { price: -1 }, 'price'],
    ['fractional price', { price: 10.5 }, 'price'],
    ['over-long name', { name: 'x'.repeat(201) }, 'name'],
    ['empty name', { name: '' }, 'name'],
    ['bad sku', { sku: 'has spaces' }, 'sku'],
    ['bad category id', { categoryId: 'audio' }, 'categoryId'],
    ['attributes not an object', { attributes: [1, 2] }, 'attributes'],
    ['unknown field', { colour: 'red' }, 'colour'],
  ])('refuses a product with %s (400 naming the field)', async (_label, patch, field) => {
    const body = { sku: `BAD-${randomUUID()}`, name: 'Bad', price: 100, currency: 'USD', ...patch };
    const res = await svc.request('POST', '/products', { body, token: svc.admin });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject(errorShape(400, 'VALIDATION_FAILED'));
    expect(JSON.stringify(res.body.details)).toContain(field);
    const { rows } = await env.sql.query(`select 1 from products where sku = $1`, [body.sku]);
    expect(rows).toHaveLength(0);
  });

  it('refuses null for a required field on PATCH and allows clearing the category', async () => {
    const { id } = await svc.product(1, { categoryId: categories[0]?.id });
    for (const field of ['name', 'price', 'currency', 'sku', 'attributes', 'active']) {
      const res = await svc.request('PATCH', `/products/${id}`, {
        body: { [field]: null },
        token: svc.admin,
      });
      expect([field, res.status]).toEqual([field, 400]);
      expect(JSON.stringify(res.body.details)).toContain(field);
    }
    const cleared = await svc.request<Product>('PATCH', `/products/${id}`, {
      body: { categoryId: null },
      token: svc.admin,
    });
    expect(cleared.status).toBe(200);
    expect(cleared.body.categoryId).toBeNull();
  });

  it('refuses an unknown category with 400 and bad queries with 400, never 500', async () => {
    const res = await svc.request('POST', '/products', {
      body: {
        sku: `CAT-${Date.now()}`,
        name: 'x',
        price: 1,
        currency: 'USD',
        categoryId: randomUUID(),
      },
      token: svc.admin,
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'UNKNOWN_CATEGORY' });
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=2.5', 'limit'],
      ['page=0', 'page'],
      ['page=abc', 'page'],
      ['page=10001', 'page'],
      ['minPrice=-5', 'minPrice'],
      ['maxPrice=abc', 'maxPrice'],
      ['sort=cheapest', 'sort'],
      ['inStock=maybe', 'inStock'],
      [`q=${'x'.repeat(201)}`, 'q'],
      ['q=', 'q'],
      ['q=%20%20%09', 'q'],
      ['q=headphones&page=0', 'page'],
      ['unknown=1', 'unknown'],
    ]) {
      const bad = await svc.request<{ code: string; details?: { field: string }[] }>(
        'GET',
        `/products?${query}`,
      );
      expect([query, bad.status, bad.body.code]).toEqual([query, 400, 'VALIDATION_FAILED']);
      expect([query, bad.body.details?.map((d) => d.field)]).toEqual([query, [field]]);
    }
    expect((await svc.request('GET', '/products/not-a-uuid')).status).toBe(400);
    expect((await svc.request('GET', `/products/${randomUUID()}`)).status).toBe(404);
    // Odd search text is just text.
    for (const q of ["'", '!!', '& | :*', 'a<->b', '%_']) {
      expect((await svc.request('GET', `/products?q=${encodeURIComponent(q)}`)).status).toBe(200);
    }
  });

  it('documents every route in OpenAPI and reports health and metrics', async () => {
    const doc = await svc.request<{ paths: Record<string, unknown> }>('GET', '/docs-json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/products',
        '/products/{id}',
        '/categories',
        '/inventory/{productId}',
        '/internal/inventory/reservations',
        '/internal/inventory/reservations/{orderId}/release',
        '/internal/inventory/reservations/{orderId}/commit',
      ]),
    );
    const health = await svc.request('GET', '/health');
    expect(health.status).toBe(200);
    const metrics = await fetch(`${svc.url}/metrics`).then((r) => r.text());
    expect(metrics).toContain('business_operations_total{operation="inventory.reserve"');
  });
});
