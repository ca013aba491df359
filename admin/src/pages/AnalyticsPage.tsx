import { type FormEvent, useCallback, useState } from 'react';
import { api, errorMessage } from '../api/client';
import { money } from '../format';
import { usePolling } from '../usePolling';

const day = (date: Date) => date.toISOString().slice(0, 10);

/** A labelled horizontal bar; the number is always written out, the bar only adds the picture. */
function Bar({
  label,
  value,
  max,
  text,
}: {
  label: string;
  value: number;
  max: number;
  text: string;
}) {
  const percent = max > 0 ? Math.round((value / max) * 100) : 0;
  return (
    <div className="bar-row">
      <span className="bar-label">{label}</span>
      <meter className="bar" min={0} max={Math.max(max, 1)} value={value} aria-label={label} />
      <span className="bar-value">
        {text} <span className="visually-hidden">({percent} % of the largest)</span>
      </span>
    </div>
  );
}

/** Orders and revenue per day, the cart -> checkout -> paid funnel and top products over a range. */
export function AnalyticsPage() {
  const [range, setRange] = useState(() => {
    const to = new Date();
    return { from: day(new Date(to.getTime() - 29 * 86_400_000)), to: day(to) };
  });
  const load = useCallback(async () => {
    const { data, error } = await api.GET('/api/admin/analytics/summary', {
      params: { query: { from: range.from, to: range.to, top: 10 } },
    });
    if (!data) throw new Error(errorMessage(error, 'The analytics could not be loaded'));
    return data;
  }, [range]);
  const summary = usePolling(load, 10_000);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const from = form.get('from');
    const to = form.get('to');
    if (typeof from === 'string' && typeof to === 'string') setRange({ from, to });
  };

  const data = summary.data;
  const byDay = data?.orders.byDay ?? [];
  const dayMax = Math.max(0, ...byDay.map((d) => d.COMPLETED + d.FAILED + d.CANCELLED));
  const revenueMax = Math.max(0, ...(data?.revenueByDay ?? []).map((d) => d.amount));
  const funnelMax = data ? Math.max(data.funnel.carts, data.funnel.checkouts, data.funnel.paid) : 0;
  const topMax = Math.max(0, ...(data?.topProducts ?? []).map((p) => p.units));

  return (
    <section aria-labelledby="analytics-title">
      <h1 id="analytics-title">Analytics</h1>
      <form className="filters" onSubmit={submit}>
        <div>
          <label htmlFor="from">From</label>
          <input id="from" name="from" type="date" defaultValue={range.from} required />
        </div>
        <div>
          <label htmlFor="to">To</label>
          <input id="to" name="to" type="date" defaultValue={range.to} required />
        </div>
        <button type="submit">Show</button>
      </form>
      {summary.error && (
        <p role="alert" className="error">
          {summary.error}
        </p>
      )}
      {data && (
        <div className="panels">
          <div className="card">
            <h2>Orders per day</h2>
            <p data-testid="orders-total">{data.orders.total} orders in the range</p>
            {byDay.map((d) => (
              <Bar
                key={d.day}
                label={d.day}
                value={d.COMPLETED + d.FAILED + d.CANCELLED}
                max={dayMax}
                text={`${d.COMPLETED} completed, ${d.FAILED} failed, ${d.CANCELLED} cancelled`}
              />
            ))}
          </div>
          <div className="card">
            <h2>Revenue per day</h2>
            {data.revenue.map((r) => (
              <p key={r.currency}>
                {money(r.amount, r.currency)} from {r.orders} completed orders
              </p>
            ))}
            {data.revenueByDay.map((d) => (
              <Bar
                key={`${d.day}-${d.currency}`}
                label={d.day}
                value={d.amount}
                max={revenueMax}
                text={money(d.amount, d.currency)}
              />
            ))}
          </div>
          <div className="card">
            <h2>Funnel</h2>
            <Bar
              label="Carts"
              value={data.funnel.carts}
              max={funnelMax}
              text={`${data.funnel.carts}`}
            />
            <Bar
              label="Checkouts"
              value={data.funnel.checkouts}
              max={funnelMax}
              text={`${data.funnel.checkouts}`}
            />
            <Bar
              label="Paid"
              value={data.funnel.paid}
              max={funnelMax}
              text={`${data.funnel.paid}`}
            />
          </div>
          <div className="card">
            <h2>Top products</h2>
            {data.topProducts.map((p) => (
              <Bar
                key={p.productId}
                label={p.productId.slice(0, 8)}
                value={p.units}
                max={topMax}
                text={`${p.units} units, ${money(p.revenue, p.currency)}`}
              />
            ))}
          </div>
        </div>
      )}
    </section>
  );
}
