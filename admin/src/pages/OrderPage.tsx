import { useCallback } from 'react';
import { useParams } from 'react-router';
import { api, errorMessage } from '../api/client';
import { dateTime, money } from '../format';
import { usePolling } from '../usePolling';

/** Where the Temporal Web UI is (VITE_TEMPORAL_UI_URL at build time; the dev server by default). */
const TEMPORAL_UI = import.meta.env.VITE_TEMPORAL_UI_URL ?? 'http://127.0.0.1:8233';

interface TimelineRow {
  at: string;
  what: string;
  who: string;
  source: 'stored' | 'live';
}

/**
 * One order: items, its timeline (the stored status history merged with the running checkout's
 * own steps), payments and refunds, the invoice, and the workflow in the Temporal UI.
 */
export function OrderPage() {
  const { id = '' } = useParams();
  const load = useCallback(async () => {
    const [order, payments] = await Promise.all([
      api.GET('/api/orders/{id}', { params: { path: { id } } }),
      api.GET('/api/payments', { params: { query: { orderId: id } } }),
    ]);
    if (!order.data) throw new Error(errorMessage(order.error, 'The order could not be loaded'));
    return { order: order.data, payments: payments.data?.items ?? [] };
  }, [id]);
  const state = usePolling(load, 5000);

  if (state.error) {
    return (
      <p role="alert" className="error">
        {state.error}
      </p>
    );
  }
  if (!state.data) return <p aria-busy="true">Loading…</p>;
  const { order, payments } = state.data;
  const timeline: TimelineRow[] = [
    ...order.timeline.map((entry) => ({
      at: entry.at,
      what: `${entry.from ?? 'new'} → ${entry.to}${entry.reason ? `: ${entry.reason}` : ''}`,
      who: entry.actor,
      source: 'stored' as const,
    })),
    ...(order.checkout?.timeline ?? []).map((entry) => ({
      at: entry.at,
      what: `${entry.step} (${entry.status})${entry.note ? `: ${entry.note}` : ''}`,
      who: 'checkout workflow',
      source: 'live' as const,
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  const workflowUrl = `${TEMPORAL_UI}/namespaces/default/workflows/checkout-${order.id}`;

  return (
    <section aria-labelledby="order-title">
      <h1 id="order-title">
        Order <code>{order.id}</code>
      </h1>
      <dl className="facts">
        <dt>Status</dt>
        <dd data-testid="order-status">{order.status}</dd>
        {order.failureReason && (
          <>
            <dt>Reason</dt>
            <dd>{order.failureReason}</dd>
          </>
        )}
        <dt>Customer</dt>
        <dd>{order.customerId}</dd>
        <dt>Total</dt>
        <dd>{money(order.total, order.currency)}</dd>
        <dt>Placed</dt>
        <dd>{dateTime(order.createdAt)}</dd>
        <dt>Ships to</dt>
        <dd>
          {order.shippingAddress.name}, {order.shippingAddress.line1}, {order.shippingAddress.city}{' '}
          {order.shippingAddress.postalCode}, {order.shippingAddress.country}
        </dd>
      </dl>
      <p>
        <a href={workflowUrl} target="_blank" rel="noreferrer">
          The checkout workflow in the Temporal UI
        </a>
        {' · '}
        <a href={`/api/invoices/${order.id}`}>Invoice (PDF)</a>
      </p>

      <h2>Items</h2>
      <ul className="items">
        {order.items.map((item) => (
          <li key={item.productId}>
            {item.quantity} × {item.name} <code>{item.sku}</code> (
            {money(item.lineTotal, order.currency)})
          </li>
        ))}
      </ul>

      <h2>Payments and refunds</h2>
      {payments.length === 0 ? (
        <p>No payment yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Amount</th>
                <th scope="col">Refunded</th>
                <th scope="col">Provider</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {payments.map((payment) => (
                <tr key={payment.id}>
                  <td>
                    {payment.status}
                    {payment.failureMessage ? `: ${payment.failureMessage}` : ''}
                  </td>
                  <td>{money(payment.amount, payment.currency)}</td>
                  <td>{money(payment.refundedAmount, payment.currency)}</td>
                  <td>
                    {payment.provider} <code>{payment.providerPaymentId ?? ''}</code>
                  </td>
                  <td>{dateTime(payment.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>Timeline</h2>
      <ol className="timeline" aria-label="Timeline, oldest first">
        {timeline.map((row, index) => (
          <li key={`${row.at}-${index}`}>
            <time dateTime={row.at}>{dateTime(row.at)}</time> {row.what}{' '}
            <span className="hint">
              ({row.who}
              {row.source === 'live' ? ', live' : ''})
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
