import { useCallback } from 'react';
import { useParams } from 'react-router';
import { api, errorMessage } from '../api/client';
import { dateTime, money } from '../format';
import { TEMPORAL_UI, workflowUrl } from '../temporal';
import { usePolling } from '../usePolling';

interface TimelineRow {
  at: string;
  what: string;
  who: string;
  source: 'stored' | 'live';
}

/**
 * One order: items, its timeline (the stored status history merged with the running checkout's
 * own steps), payments and refunds, the notifications sent about it, the invoice, and the
 * workflow in the Temporal UI.
 */
export function OrderPage() {
  const { id = '' } = useParams();
  const load = useCallback(async () => {
    const [order, payments, notifications] = await Promise.all([
      api.GET('/api/orders/{id}', { params: { path: { id } } }),
      api.GET('/api/payments', { params: { query: { orderId: id } } }),
      api.GET('/api/admin/notifications', { params: { query: { orderId: id, limit: 50 } } }),
    ]);
    if (!order.data) throw new Error(errorMessage(order.error, 'The order could not be loaded'));
    return {
      order: order.data,
      payments: payments.data?.items ?? [],
      notifications: notifications.data
        ? notifications.data.items
        : errorMessage(notifications.error, 'The notifications could not be loaded'),
    };
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
  const { order, payments, notifications } = state.data;
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
        {order.checkout?.reviewDeadline && order.status === 'AWAITING_APPROVAL' && (
          <>
            <dt>Review times out</dt>
            <dd>{dateTime(order.checkout.reviewDeadline)}</dd>
          </>
        )}
        {order.checkout?.approvedBy && (
          <>
            <dt>Approved by</dt>
            <dd>
              <code>{order.checkout.approvedBy}</code>
            </dd>
          </>
        )}
        <dt>Ships to</dt>
        <dd>
          {order.shippingAddress.name}, {order.shippingAddress.line1}, {order.shippingAddress.city}{' '}
          {order.shippingAddress.postalCode}, {order.shippingAddress.country}
        </dd>
      </dl>
      <p>
        <a href={workflowUrl(order.id)} target="_blank" rel="noreferrer" title={TEMPORAL_UI}>
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

      <h2>Notifications sent</h2>
      {typeof notifications === 'string' ? (
        <p role="alert" className="error">
          {notifications}
        </p>
      ) : notifications.length === 0 ? (
        <p>No notification about this order yet.</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="order-notifications">
            <caption className="visually-hidden">
              Notifications about this order, newest first
            </caption>
            <thead>
              <tr>
                <th scope="col">Subject</th>
                <th scope="col">To</th>
                <th scope="col">Status</th>
                <th scope="col">Sent</th>
              </tr>
            </thead>
            <tbody>
              {notifications.map((notification) => (
                <tr key={notification.id}>
                  <td>
                    {notification.subject} <span className="hint">({notification.template})</span>
                  </td>
                  <td>
                    {notification.channel}: {notification.to}
                  </td>
                  <td>
                    {notification.status}
                    {notification.lastError ? `: ${notification.lastError}` : ''}
                  </td>
                  <td>{notification.sentAt ? dateTime(notification.sentAt) : 'not yet'}</td>
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
