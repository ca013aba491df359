import { OrdersPage } from './OrdersPage';

/**
 * Checkouts that ended FAILED, with their reason, and what an operator does about each kind
 * (docs/operations.md). A checkout whose compensation failed is a failed *workflow*: it shows in
 * the Temporal UI (CheckoutStatus = "FAILED" with a failed run), linked from each order's page.
 */
export function FailedCheckoutsPage() {
  return (
    <>
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
          <dt>compensation failed</dt>
          <dd>
            Money or stock could not be put back automatically: open the workflow from the order
            page and follow docs/operations.md (refund or release by hand, then reset the run).
          </dd>
        </dl>
      </section>
    </>
  );
}
