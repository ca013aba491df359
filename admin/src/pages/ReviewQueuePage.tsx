import { useState } from 'react';
import { api, errorMessage, type Schemas } from '../api/client';
import { age, money, timeLeft } from '../format';
import { useNow } from '../useNow';
import { usePolling } from '../usePolling';

type Order = Schemas['AdminOrderDto'];
type Outcome = { kind: 'ok' | 'error'; text: string };

async function loadQueue(): Promise<Schemas['AdminOrderPageDto']> {
  const { data, error } = await api.GET('/api/admin/orders', {
    params: { query: { status: 'AWAITING_APPROVAL', sort: 'oldest', limit: 100 } },
  });
  if (!data) throw new Error(errorMessage(error, 'The review queue could not be loaded'));
  return data;
}

/** What the workflow answered, in words: its Update result, or why it refused. */
function describeDecision(decided: Schemas['DecidedOrderDto']): string {
  const { decision } = decided;
  const verb = decision.decision === 'APPROVED' ? 'approved' : 'rejected';
  const operator = decision.byEmail ?? decision.by;
  return `Order ${short(decided.id)} ${verb} by ${operator}; the checkout took it while ${decision.status}.`;
}

const short = (id: string) => id.slice(0, 8);

/**
 * Orders waiting for an operator, oldest first, refreshed every few seconds: each with its
 * customer, items, total and the time left before the review times out; approve, or reject with a
 * reason. The answer shown is the checkout workflow's own (the Update result, or its 409 reason).
 */
export function ReviewQueuePage() {
  const queue = usePolling(loadQueue, 3000);
  const now = useNow();
  const [outcome, setOutcome] = useState<Outcome>();
  const [busy, setBusy] = useState<string>();
  const [reasons, setReasons] = useState<Record<string, string>>({});

  const decide = async (order: Order, decision: 'approve' | 'reject') => {
    setBusy(order.id);
    try {
      const params = { path: { id: order.id } };
      const result =
        decision === 'approve'
          ? await api.POST('/api/admin/orders/{id}/approve', { params })
          : await api.POST('/api/admin/orders/{id}/reject', {
              params,
              body: { reason: reasons[order.id]?.trim() || 'rejected by an operator' },
            });
      setOutcome(
        result.data
          ? { kind: 'ok', text: describeDecision(result.data) }
          : { kind: 'error', text: errorMessage(result.error, 'The decision was not recorded') },
      );
      await queue.reload();
    } finally {
      setBusy(undefined);
    }
  };

  const orders = queue.data?.items ?? [];
  return (
    <section aria-labelledby="review-title">
      <h1 id="review-title">Review queue</h1>
      <p className="hint">
        Large orders wait here for a decision, oldest first. Approving captures the payment;
        rejecting voids it and releases the stock.
      </p>
      <div role="status" aria-live="polite" className="outcome-slot">
        {outcome && (
          <p className={outcome.kind === 'ok' ? 'notice' : 'error'} data-testid="decision-outcome">
            {outcome.text}
          </p>
        )}
      </div>
      {queue.error && (
        <p role="alert" className="error">
          {queue.error}
        </p>
      )}
      {queue.data && orders.length === 0 && <p>No orders are waiting for review.</p>}
      <ul className="cards" aria-label="Orders waiting for review">
        {orders.map((order) => (
          <li key={order.id} className="card" data-testid="review-order" data-order-id={order.id}>
            <div className="card-head">
              <h2>
                Order <code>{short(order.id)}</code>
              </h2>
              <strong className="amount">{money(order.total, order.currency)}</strong>
            </div>
            <dl className="facts">
              <dt>Customer</dt>
              <dd>{order.customerEmail ?? order.customerId}</dd>
              <dt>Placed</dt>
              <dd>{age(order.createdAt, now)}</dd>
              <dt>Time left</dt>
              <dd>{order.reviewDeadline ? timeLeft(order.reviewDeadline, now) : 'unknown'}</dd>
            </dl>
            <ul className="items" aria-label="Items">
              {order.items.map((item) => (
                <li key={item.productId}>
                  {item.quantity} × {item.name} ({money(item.lineTotal, order.currency)})
                </li>
              ))}
            </ul>
            <div className="actions">
              <button
                type="button"
                disabled={busy === order.id}
                onClick={() => void decide(order, 'approve')}
              >
                Approve
              </button>
              <label className="visually-hidden" htmlFor={`reason-${order.id}`}>
                Reason for rejecting order {short(order.id)}
              </label>
              <input
                id={`reason-${order.id}`}
                placeholder="Reason for rejecting"
                maxLength={500}
                value={reasons[order.id] ?? ''}
                onChange={(event) =>
                  setReasons((all) => ({ ...all, [order.id]: event.target.value }))
                }
              />
              <button
                type="button"
                className="danger"
                disabled={busy === order.id}
                onClick={() => void decide(order, 'reject')}
              >
                Reject
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
