import { type FormEvent, useCallback, useState } from 'react';
import { api, errorMessage, type Schemas } from '../api/client';
import { money } from '../format';
import { usePolling } from '../usePolling';

type Product = Schemas['ProductDto'];
type Inventory = Schemas['InventoryDto'];

/** One product's price and stock, editable; reservations held by live checkouts shown. */
function ProductRow({ product, onSaved }: { product: Product; onSaved: () => Promise<void> }) {
  const load = useCallback(async (): Promise<Inventory> => {
    const { data, error } = await api.GET('/api/inventory/{productId}', {
      params: { path: { productId: product.id } },
    });
    if (!data) throw new Error(errorMessage(error, 'Stock unknown'));
    return data;
  }, [product.id]);
  const inventory = usePolling(load, 10_000);
  const [message, setMessage] = useState<string>();

  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const price = Number(form.get('price'));
    const onHand = Number(form.get('onHand'));
    const results: string[] = [];
    if (Number.isInteger(price) && price !== product.price) {
      const { error } = await api.PATCH('/api/products/{id}', {
        params: { path: { id: product.id } },
        body: { price },
      });
      results.push(error ? errorMessage(error) : 'price saved');
    }
    if (Number.isInteger(onHand) && onHand !== inventory.data?.onHand) {
      const { error } = await api.PUT('/api/inventory/{productId}', {
        params: { path: { productId: product.id } },
        body: { onHand },
      });
      results.push(error ? errorMessage(error) : 'stock saved');
    }
    setMessage(results.join('; ') || 'nothing changed');
    await Promise.all([onSaved(), inventory.reload()]);
  };

  const priceId = `price-${product.id}`;
  const stockId = `stock-${product.id}`;
  return (
    <li className="card" data-product-id={product.id}>
      <div className="card-head">
        <h2>{product.name}</h2>
        <strong>{money(product.price, product.currency)}</strong>
      </div>
      <p className="hint">
        <code>{product.sku}</code>
        {inventory.data &&
          ` · ${inventory.data.onHand} on hand, ${inventory.data.reserved} reserved by checkouts, ${inventory.data.available} available`}
      </p>
      <form className="actions" onSubmit={(event) => void save(event)}>
        <div>
          <label htmlFor={priceId}>Price (minor units)</label>
          <input
            id={priceId}
            name="price"
            type="number"
            min={0}
            step={1}
            defaultValue={product.price}
          />
        </div>
        <div>
          <label htmlFor={stockId}>On hand</label>
          <input
            id={stockId}
            name="onHand"
            type="number"
            min={0}
            step={1}
            key={inventory.data?.onHand}
            defaultValue={inventory.data?.onHand}
          />
        </div>
        <button type="submit">Save</button>
      </form>
      <div role="status" aria-live="polite">
        {message && <p className="notice">{message}</p>}
      </div>
    </li>
  );
}

/** Find products (the catalog's own search) and edit their price and stock. */
export function CatalogPage() {
  const [query, setQuery] = useState('');
  const load = useCallback(async () => {
    const { data, error } = await api.GET('/api/products', {
      params: { query: { ...(query ? { q: query } : {}), limit: 10 } },
    });
    if (!data) throw new Error(errorMessage(error, 'The catalog could not be loaded'));
    return data;
  }, [query]);
  const products = usePolling(load, 30_000);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const q = new FormData(event.currentTarget).get('q');
    setQuery(typeof q === 'string' ? q.trim() : '');
  };

  return (
    <section aria-labelledby="catalog-title">
      <h1 id="catalog-title">Catalog and stock</h1>
      <form className="filters" role="search" onSubmit={submit}>
        <div>
          <label htmlFor="catalog-q">Find a product</label>
          <input id="catalog-q" name="q" type="search" defaultValue={query} />
        </div>
        <button type="submit">Search</button>
      </form>
      {products.error && (
        <p role="alert" className="error">
          {products.error}
        </p>
      )}
      <ul className="cards" aria-label="Products">
        {(products.data?.items ?? []).map((product) => (
          <ProductRow key={product.id} product={product} onSaved={products.reload} />
        ))}
      </ul>
    </section>
  );
}
