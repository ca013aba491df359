import { type FormEvent, useCallback, useState } from 'react';
import { api, errorMessage, type Schemas } from '../api/client';
import { dateTime } from '../format';
import { usePolling } from '../usePolling';

type Campaign = Schemas['CampaignDto'];
type Action = 'pause' | 'resume' | 'cancel';
type Audience = 'CUSTOMER' | 'ADMIN' | 'all';

/** Recipients dealt with so far: sent, failed, suppressed (unsubscribed) and cancelled. */
function done(campaign: Campaign): number {
  return campaign.sent + campaign.failed + campaign.suppressed + campaign.cancelled;
}

function CampaignCard({
  campaign,
  onChange,
}: {
  campaign: Campaign;
  onChange: () => Promise<void>;
}) {
  const [message, setMessage] = useState<string>();
  const [failures, setFailures] = useState<Schemas['CampaignFailureDto'][]>();
  const params = { path: { id: campaign.id } };

  const act = async (action: Action) => {
    const result =
      action === 'pause'
        ? await api.POST('/api/admin/campaigns/{id}/pause', { params })
        : action === 'resume'
          ? await api.POST('/api/admin/campaigns/{id}/resume', { params })
          : await api.POST('/api/admin/campaigns/{id}/cancel', { params });
    setMessage(result.error ? errorMessage(result.error) : `${action} requested`);
    await onChange();
  };
  const showFailures = async () => {
    const { data, error } = await api.GET('/api/admin/campaigns/{id}/failures', { params });
    if (data) setFailures(data.items);
    else setMessage(errorMessage(error));
  };

  const total = campaign.total;
  const progress = total > 0 ? Math.round((done(campaign) / total) * 100) : 0;
  const live = campaign.status === 'SENDING' || campaign.status === 'FANNING_OUT';
  return (
    <li className="card" data-campaign-id={campaign.id}>
      <div className="card-head">
        <h2>{campaign.subject}</h2>
        <span data-testid="campaign-status">{campaign.status}</span>
      </div>
      <label htmlFor={`progress-${campaign.id}`}>
        Progress: <span data-testid="campaign-progress">{progress} %</span>
      </label>
      <progress id={`progress-${campaign.id}`} max={Math.max(total, 1)} value={done(campaign)}>
        {progress} %
      </progress>
      <dl className="facts">
        <dt>Recipients</dt>
        <dd>
          {total}
          {campaign.fanoutDone ? '' : ' so far'}
        </dd>
        <dt>Sent</dt>
        <dd>{campaign.sent}</dd>
        <dt>Failed</dt>
        <dd>{campaign.failed}</dd>
        <dt>Suppressed</dt>
        <dd>{campaign.suppressed}</dd>
        <dt>Unconfirmed</dt>
        <dd>{campaign.unconfirmed}</dd>
        <dt>Template</dt>
        <dd>{campaign.template}</dd>
        <dt>Created</dt>
        <dd>{dateTime(campaign.createdAt)}</dd>
      </dl>
      <div className="actions">
        {live && (
          <button type="button" className="secondary" onClick={() => void act('pause')}>
            Pause
          </button>
        )}
        {campaign.status === 'PAUSED' && (
          <button type="button" onClick={() => void act('resume')}>
            Resume
          </button>
        )}
        {(live || campaign.status === 'PAUSED' || campaign.status === 'CREATED') && (
          <button type="button" className="danger" onClick={() => void act('cancel')}>
            Cancel
          </button>
        )}
        {campaign.failed > 0 && (
          <button type="button" className="secondary" onClick={() => void showFailures()}>
            Show failures
          </button>
        )}
      </div>
      <div role="status" aria-live="polite">
        {message && <p className="notice">{message}</p>}
      </div>
      {failures && (
        <ul aria-label="Failed recipients">
          {failures.map((failure) => (
            <li key={failure.userId}>
              {failure.email}: {failure.error}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

/** Create a campaign from a template for an audience; follow, pause, resume or cancel it. */
export function CampaignsPage() {
  const load = useCallback(async () => {
    const { data, error } = await api.GET('/api/admin/campaigns', {
      params: { query: { limit: 20 } },
    });
    if (!data) throw new Error(errorMessage(error, 'The campaigns could not be loaded'));
    return data;
  }, []);
  const campaigns = usePolling(load, 2000);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();

  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const text = (name: string) => {
      const value = form.get(name);
      return typeof value === 'string' ? value.trim() : '';
    };
    const audience = text('audience') as Audience;
    const { data, error } = await api.POST('/api/admin/campaigns', {
      body: {
        subject: text('subject'),
        template: text('template'),
        audience: audience === 'all' ? { all: true } : { role: audience },
      },
    });
    setMessage(
      data
        ? { ok: true, text: `Campaign “${data.subject}” created` }
        : { ok: false, text: errorMessage(error, 'The campaign was not created') },
    );
    if (data) formElement.reset();
    await campaigns.reload();
  };

  return (
    <section aria-labelledby="campaigns-title">
      <h1 id="campaigns-title">Campaigns</h1>
      <form className="card filters" onSubmit={(event) => void create(event)}>
        <div>
          <label htmlFor="subject">Subject</label>
          <input id="subject" name="subject" required maxLength={200} />
        </div>
        <div>
          <label htmlFor="template">Template</label>
          <input id="template" name="template" required defaultValue="newsletter" />
        </div>
        <div>
          <label htmlFor="audience">Audience</label>
          <select id="audience" name="audience" defaultValue="CUSTOMER">
            <option value="CUSTOMER">Every customer</option>
            <option value="ADMIN">Every admin</option>
            <option value="all">Everyone</option>
          </select>
        </div>
        <button type="submit">Create and send</button>
      </form>
      <div role="status" aria-live="polite">
        {message && <p className={message.ok ? 'notice' : 'error'}>{message.text}</p>}
      </div>
      {campaigns.error && (
        <p role="alert" className="error">
          {campaigns.error}
        </p>
      )}
      <ul className="cards" aria-label="Campaigns, newest first">
        {(campaigns.data?.items ?? []).map((campaign) => (
          <CampaignCard key={campaign.id} campaign={campaign} onChange={campaigns.reload} />
        ))}
      </ul>
    </section>
  );
}
