import { useCallback } from 'react';
import { Link } from 'react-router';
import { api, errorMessage } from '../api/client';
import { dateTime, money } from '../format';
import { workflowUrl } from '../temporal';
import { usePolling } from '../usePolling';
import { OrdersPage } from './OrdersPage';

/**
 * Checkouts whose workflow failed: the order has ended, but stock or money could not be put back
 * (compensation failed), so an operator finishes the job. Read from Temporal by the orders
 * service; each with what went wrong and what to do (docs/operations.md).
 */
function NeedsAnOperator() {
  const load = useCallback(async () => {
    const { data, error } = await api.GET('/api/admin/checkouts/failed', {
      params: { query: { limit: 50 } },
    });
    if (!data) throw new Error(errorMessage(error, 'The failed workflows could not be loaded'));
    return data;
  }, []);
  const runs = usePolling(load, 10_000);

  return (
    <section aria-labelledby="needs-operator" className="card">
      <h2 id="needs-operator">Needs an operator: the checkout workflow failed</h2>
      <p className="hint">
        The order has ended and the customer was told, but the checkout could not put everything
        back. Each row names the step that failed.
      </p>
      {runs.error && (
        <p role="alert" className="error">
          {runs.error}
        </p>
      )}
      {runs.data && runs.data.items.length === 0 && <p>None: every checkout finished cleanly.</p>}
      {runs.data && runs.data.items.length > 0 && (
        <div className="table-wrap">
          <table data-testid="failed-workflows">
            <caption className="visually-hidden">Failed checkout workflows, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Customer</th>
                <th scope="col">Order status</th>
                <th scope="col">Total</th>
                <th scope="col">What failed</th>
                <th scope="col">Failed</th>
                <th scope="col">Workflow</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.items.map((run) => (
                <tr key={run.runId} data-order-id={run.orderId}>
                  <td>
                    <Link to={`/orders/${run.orderId}`}>
                      <code>{run.orderId.slice(0, 8)}</code>
                    </Link>
                  </td>
                  <td>
                    {run.order ? (run.order.customerEmail ?? run.order.customerId) : 'unknown'}
                  </td>
                  <td>{run.order?.status ?? 'no such order'}</td>
                  <td>{run.order ? money(run.order.total, run.order.currency) : ''}</td>
                  <td>
                    {run.failureType && <strong>{run.failureType}: </strong>}
                    {run.failureMessage}
                  </td>
                  <td>{run.failedAt ? dateTime(run.failedAt) : ''}</td>
                  <td>
                    <a href={workflowUrl(run.orderId, run.runId)} target="_blank" rel="noreferrer">
                      Temporal UI
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="hint">
            {runs.data.items.length} of {runs.data.total} shown.
          </p>
        </div>
      )}
    </section>
  );
}

/**
 * Checkouts that ended FAILED, with their reason, and the ones whose workflow failed and need an
 * operator, with what to do about each kind (docs/operations.md).
 */
export function FailedCheckoutsPage() {
  return (
    <>
      <NeedsAnOperator />
      <OrdersPage fixedStatus="FAILED" title="Failed checkouts" />
      <section aria-labelledby="what-to-do" className="card">
        <h2 id="what-to-do">What to do</h2>
        <dl className="facts">
          <dt>payment declined</dt>
          <dd>Nothing: the customer was told; stock was released and no money taken.</dd>
          <dt>out of stock</dt>
          <dd>Restock in Catalog if it should sell; the customer may order again.</dd>
          <dt>rejected / review timed out</dt>
          <dd>The payment was voided and stock released; contact the customer if needed.</dd>
          <dt>… failed: (a step gave up after its retries)</dt>
          <dd>
            A service was down for longer than the step retries: fix it (docs/operations.md, “A
            checkout stuck on a failing activity”); the order was put back and the customer may
            order again.
          </dd>
          <dt>workflow failed: releaseInventory: ReservationCommitted</dt>
          <dd>
            The units were counted as sold although the order failed: if they are still in the
            warehouse, add them back to the product’s on-hand stock in Catalog.
          </dd>
          <dt>workflow failed: voidPayment / refundPayment</dt>
          <dd>
            The customer’s money was not given back: check the payment on the order page and refund
            it in the payment provider’s dashboard.
          </dd>
          <dt>workflow failed: record outcome</dt>
          <dd>
            The order’s status could not be recorded: the order page shows the stored status; the
            checkout’s own end is in the Temporal UI.
          </dd>
        </dl>
        <p className="hint">
          A failed workflow stays listed as the record of what happened (until the Temporal
          namespace’s retention removes it); nothing needs to be done on the workflow itself.
        </p>
      </section>
    </>
  );
}
