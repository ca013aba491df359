import { type FormEvent, useCallback, useState } from 'react';
import { Link } from 'react-router';
import { api, errorMessage, type Schemas } from '../api/client';
import { dateTime, money } from '../format';
import { usePolling } from '../usePolling';

type Status = NonNullable<Schemas['AdminOrderDto']['status']>;
const STATUSES: readonly Status[] = [
  'PENDING',
  'RESERVING',
  'AWAITING_APPROVAL',
  'CHARGING',
  'CONFIRMING',
  'COMPLETED',
  'CANCELLED',
  'FAILED',
];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Filter {
  text: string;
  status: Status | '';
}

/** Every customer's orders, newest first: search by order id or customer email, and status. */
export function OrdersPage({ fixedStatus, title }: { fixedStatus?: Status; title?: string }) {
  const [filter, setFilter] = useState<Filter>({ text: '', status: fixedStatus ?? '' });
  const load = useCallback(async () => {
    const text = filter.text.trim();
    const { data, error } = await api.GET('/api/admin/orders', {
      params: {
        query: {
          limit: 50,
          ...(filter.status ? { status: filter.status } : {}),
          ...(UUID.test(text) ? { id: text } : text ? { email: text } : {}),
        },
      },
    });
    if (!data) throw new Error(errorMessage(error, 'The orders could not be loaded'));
    return data;
  }, [filter]);
  const orders = usePolling(load, 10_000);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = form.get('q');
    const status = form.get('status');
    setFilter({
      text: typeof text === 'string' ? text : '',
      status: fixedStatus ?? (typeof status === 'string' ? (status as Status | '') : ''),
    });
  };

  return (
    <section aria-labelledby="orders-title">
      <h1 id="orders-title">{title ?? 'Orders'}</h1>
      <form className="filters" role="search" onSubmit={submit}>
        <div>
          <label htmlFor="q">Order id or customer email</label>
          <input id="q" name="q" type="search" defaultValue={filter.text} />
        </div>
        {!fixedStatus && (
          <div>
            <label htmlFor="status">Status</label>
            <select id="status" name="status" defaultValue={filter.status}>
              <option value="">Any</option>
              {STATUSES.map((status) => (
                <option key={status}>{status}</option>
              ))}
            </select>
          </div>
        )}
        <button type="submit">Search</button>
      </form>
      {orders.error && (
        <p role="alert" className="error">
          {orders.error}
        </p>
      )}
      {orders.data && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Orders, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Customer</th>
                <th scope="col">Status</th>
                <th scope="col">Total</th>
                <th scope="col">Placed</th>
                {fixedStatus === 'FAILED' && <th scope="col">Reason</th>}
              </tr>
            </thead>
            <tbody>
              {orders.data.items.map((order) => (
                <tr key={order.id} data-order-id={order.id}>
                  <td>
                    <Link to={`/orders/${order.id}`}>
                      <code>{order.id.slice(0, 8)}</code>
                    </Link>
                  </td>
                  <td>{order.customerEmail ?? order.customerId}</td>
                  <td>{order.status}</td>
                  <td>{money(order.total, order.currency)}</td>
                  <td>{dateTime(order.createdAt)}</td>
                  {fixedStatus === 'FAILED' && <td>{order.failureReason ?? ''}</td>}
                </tr>
              ))}
            </tbody>
          </table>
          <p className="hint">
            {orders.data.items.length} of {orders.data.total} shown.
          </p>
        </div>
      )}
    </section>
  );
}
