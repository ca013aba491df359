import {
  DEFAULT_CATALOG_SIZE,
  SEED_CATEGORIES,
  generateCatalog,
  generateProduct,
} from './catalog-generator';
import { isCurrencyCode } from '@commerce/contracts';

describe('catalog generator', () => {
  const catalog = [...generateCatalog(DEFAULT_CATALOG_SIZE)];

  it('is deterministic: the same index gives the same product, run after run', () => {
    expect([...generateCatalog(DEFAULT_CATALOG_SIZE)]).toEqual(catalog);
    expect(generateProduct(41)).toEqual(catalog[41]);
    expect([...generateCatalog(10, 500)]).toEqual(catalog.slice(500, 510));
    // Pinned, so an accidental change to the word lists or the PRNG shows up here.
    expect(generateProduct(0)).toMatchObject({
      sku: 'AUD-000001',
      name: 'Acme Smart Soundbar H651',
      price: 22399,
      onHand: 92,
    });
  });

  it('makes unique SKUs and names across at least 1,000 products in every category', () => {
    expect(DEFAULT_CATALOG_SIZE).toBeGreaterThanOrEqual(1000);
    expect(new Set(catalog.map((p) => p.sku)).size).toBe(catalog.length);
    expect(new Set(catalog.map((p) => p.name)).size).toBe(catalog.length);
    expect(new Set(catalog.map((p) => p.categorySlug))).toEqual(
      new Set(SEED_CATEGORIES.map((c) => c.slug)),
    );
    expect(new Set([...generateCatalog(100_000)].map((p) => p.sku)).size).toBe(100_000);
  });

  it('makes valid products: prices in range, known currency, some out of stock', () => {
    for (const p of catalog) {
      expect(Number.isSafeInteger(p.price) && p.price > 0).toBe(true);
      expect(isCurrencyCode(p.currency)).toBe(true);
      expect(p.onHand).toBeGreaterThanOrEqual(0);
      expect(p.name.length).toBeLessThanOrEqual(200);
    }
    const outOfStock = catalog.filter((p) => p.onHand === 0).length;
    expect(outOfStock).toBeGreaterThan(50);
    expect(outOfStock).toBeLessThan(300);
  });
});
