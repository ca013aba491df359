import { type CampaignJobData, CampaignStatus, QueueName } from '@commerce/contracts';
import { testEndpoints } from '@commerce/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { CAMPAIGNS_COLLECTION, type CampaignDocument } from '../src/campaigns/campaign.schema';
import { campaignJobId } from '../src/campaigns/campaign-job-id';
import { campaignKeys, campaignSuppressionKey } from '../src/campaigns/campaign-keys';
import { CampaignProcessor } from '../src/campaigns/campaign.processor';
import { DeliveryTestEnvironment, eventually } from './support/delivery-env';
import { buildNotifications } from './support/processors-process';

interface Seeded {
  id: string;
  recipients: { userId: string; email: string }[];
}

/**
 * Campaign delivery against the real Redis, FerretDB and mailpit: campaigns are stored and
 * enqueued here as the API's fan-out does (campaigns.int-spec.ts covers that part).
 */
describe('campaign email processor', () => {
  const env = new DeliveryTestEnvironment();
  let queue: Queue<CampaignJobData>;
  let redis: Redis;
  let extraEnv: Record<string, string>;

  beforeAll(async () => {
    await Promise.all([buildNotifications(), env.setUp()]);
    extraEnv = { CAMPAIGN_CLAIM_LEASE_MS: '3000' };
    queue = new Queue<CampaignJobData>(QueueName.campaign, {
      connection: { url: testEndpoints.redisUrl },
      prefix: env.prefix,
    });
    redis = new Redis(testEndpoints.redisUrl);
  }, 300_000);
  afterEach(() => env.stopProcessors());
  afterAll(async () => {
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    redis?.disconnect();
    await env.tearDown();
  });

  async function seed(label: string, count: number): Promise<Seeded> {
    const id = randomUUID();
    const now = new Date();
    const doc: CampaignDocument = {
      _id: id,
      subject: 'News for {{name}}',
      template: 'newsletter',
      locale: 'en',
      audience: { all: true },
      snapshot: {
        subject: 'News for {{name}}',
        html: '<p>Hello {{name}}</p><a href="{{unsubscribeUrl}}">Unsubscribe</a>',
        text: 'Hello {{name}}\nUnsubscribe: {{unsubscribeUrl}}\n',
      },
      status: CampaignStatus.SENDING,
      resumeTo: null,
      total: count,
      queued: count,
      fanoutDone: true,
      fanoutCursor: null,
      fanoutPages: 1,
      fanoutOwner: null,
      fanoutLeaseUntil: null,
      createdBy: randomUUID(),
      createdAt: now,
      updatedAt: now,
      completedAt: null,
    };
    await env.connection.collection<CampaignDocument>(CAMPAIGNS_COLLECTION).insertOne(doc);
    const keys = campaignKeys(env.prefix, id);
    await redis.set(keys.status, CampaignStatus.SENDING);
    await redis.hset(keys.counters, 'total', count);
    const recipients = Array.from({ length: count }, (_, i) => ({
      userId: randomUUID(),
      email: env.recipient(`${label}-${i}`),
    }));
    for (let i = 0; i < count; i += 500) {
      await queue.addBulk(
        recipients.slice(i, i + 500).map((r, j) => ({
          name: QueueName.campaign,
          data: {
            campaignId: id,
            userId: r.userId,
            email: r.email,
            name: `User ${i + j}`,
            unsubscribeUrl: `http://shop.test/api/notifications/unsubscribe?token=${r.userId}.sig`,
          },
          opts: {
            jobId: campaignJobId(id, r.userId),
            attempts: 5,
            backoff: { type: 'fixed', delay: 200 },
          },
        })),
      );
    }
    return { id, recipients };
  }

  const counters = async (id: string) => {
    const raw = await redis.hgetall(campaignKeys(env.prefix, id).counters);
    const n = (f: string) => Number(raw[f] ?? 0);
    return {
      sent: n('sent'),
      failed: n('failed'),
      suppressed: n('suppressed'),
      unconfirmed: n('unconfirmed'),
    };
  };
  const finished = (id: string, total: number, timeoutMs = 60_000) =>
    eventually(
      'every recipient to be done',
      async () => {
        const c = await counters(id);
        return c.sent + c.failed + c.suppressed >= total ? c : undefined;
      },
      timeoutMs,
      100,
    );

  /** Messages in the sink per recipient address containing `part` (paged through mailpit). */
  async function mailCounts(part: string): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (let start = 0; ; start += 1000) {
      const res = await fetch(
        `${testEndpoints.mailpitUrl}/api/v1/search?limit=1000&start=${start}&query=${encodeURIComponent(`to:"${part}"`)}`,
      );
      const body = (await res.json()) as { messages: { To: { Address: string }[] }[] };
      for (const message of body.messages) {
        for (const to of message.To) counts.set(to.Address, (counts.get(to.Address) ?? 0) + 1);
      }
      if (body.messages.length < 1000) return counts;
    }
  }
  const settledMail = async (part: string) => {
    await sleep(1000);
    return mailCounts(part);
  };

  it('delivers a 1,000-recipient campaign once per recipient, honouring suppression', async () => {
    const campaign = await seed('big', 1000);
    const suppressed = campaign.recipients.slice(0, 5).map((r) => r.email);
    await redis.sadd(campaignSuppressionKey(env.prefix), ...suppressed);
    const running = await env.startInProcess({ ...extraEnv, CAMPAIGN_CONCURRENCY: '50' });
    await running.app.get(CampaignProcessor).waitUntilReady();

    const started = Date.now();
    const final = await finished(campaign.id, 1000);
    console.log(`[campaign] 1000 recipients done in ${Date.now() - started} ms`);
    expect(final).toEqual({ sent: 995, failed: 0, suppressed: 5, unconfirmed: 0 });
    const counts = await settledMail(`${env.tag}-big-`);
    expect(counts.size).toBe(995);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    for (const email of suppressed) expect(counts.get(email)).toBeUndefined();

    expect(await redis.get(campaignKeys(env.prefix, campaign.id).status)).toBe('COMPLETED');
    const doc = await env.connection
      .collection<CampaignDocument>(CAMPAIGNS_COLLECTION)
      .findOne({ _id: campaign.id });
    expect(doc?.status).toBe('COMPLETED');

    const [one] = await env.sink.search(`to:"${campaign.recipients[10]?.email}"`);
    const message = await env.sink.message(one?.ID ?? '');
    expect(message.Subject).toBe('News for User 10');
    expect(message.Text).toContain('/notifications/unsubscribe?token=');
    const headers = await env.sink.headers(one?.ID ?? '');
    expect(headers['List-Unsubscribe']?.[0]).toMatch(/^<http:\/\/shop\.test\/api\/.+>$/);
    expect(headers['List-Unsubscribe-Post']).toEqual(['List-Unsubscribe=One-Click']);
    await env.stop(running);
  }, 120_000);

  it('stops sending while paused and completes after resume', async () => {
    const campaign = await seed('pause', 200);
    const running = await env.startInProcess({
      ...extraEnv,
      CAMPAIGN_CONCURRENCY: '10',
      CAMPAIGN_RATE_LIMIT_PER_SECOND: '50',
      CAMPAIGN_PAUSE_RECHECK_MS: '200',
      CAMPAIGN_PAUSE_RECHECK_MAX_MS: '1000',
    });
    await eventually('some emails', async () => (await counters(campaign.id)).sent >= 20, 20_000);
    const status = campaignKeys(env.prefix, campaign.id).status;
    await redis.set(status, CampaignStatus.PAUSED);
    await sleep(500); // jobs that had claimed before the pause finish
    const atPause = (await counters(campaign.id)).sent;
    await sleep(2000);
    expect((await counters(campaign.id)).sent).toBe(atPause);
    expect(atPause).toBeLessThan(200);

    await redis.set(status, CampaignStatus.SENDING);
    expect(await finished(campaign.id, 200)).toMatchObject({ sent: 200, failed: 0 });
    const counts = await settledMail(`${env.tag}-pause-`);
    expect(counts.size).toBe(200);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    await env.stop(running);
  }, 120_000);

  it('finishes a cancelled campaign without sending the rest', async () => {
    const campaign = await seed('cancel', 50);
    await redis.set(campaignKeys(env.prefix, campaign.id).status, CampaignStatus.CANCELLED);
    const running = await env.startInProcess(extraEnv);
    await eventually(
      'every job to end as cancelled',
      async () =>
        Number(await redis.hget(campaignKeys(env.prefix, campaign.id).counters, 'cancelled')) ===
        50,
    );
    expect((await mailCounts(`${env.tag}-cancel-`)).size).toBe(0);
    await env.stop(running);
  }, 60_000);

  it('delivers exactly once across a kill -9 of the processors process halfway', async () => {
    const campaign = await seed('kill', 1000);
    const fast = { ...extraEnv, CAMPAIGN_CONCURRENCY: '20' };
    const first = await env.spawnProcessors(fast);
    await eventually(
      'half the emails',
      async () => (await counters(campaign.id)).sent >= 400,
      60_000,
      5,
    );
    first.process.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const atKill = (await counters(campaign.id)).sent;
    expect(atKill).toBeLessThan(1000);

    const second = await env.spawnProcessors(fast);
    const final = await finished(campaign.id, 1000, 90_000);
    expect(final.sent).toBe(1000);
    expect(final.failed).toBe(0);
    const counts = await settledMail(`${env.tag}-kill-`);
    const states = await redis.hgetall(campaignKeys(env.prefix, campaign.id).recipients);
    const unconfirmed = new Set(
      Object.entries(states)
        .filter(([, state]) => state === 'unconfirmed')
        .map(([userId]) => userId),
    );
    const duplicates = campaign.recipients.filter((r) => (counts.get(r.email) ?? 0) > 1);
    const missing = campaign.recipients.filter((r) => !counts.get(r.email));
    expect(duplicates).toEqual([]);
    // Only a recipient caught in the hand-over at the kill may lack its email, and it is flagged.
    expect(missing.filter((r) => !unconfirmed.has(r.userId))).toEqual([]);
    expect(unconfirmed.size).toBeLessThanOrEqual(20);
    expect(final.unconfirmed).toBe(unconfirmed.size);
    console.log(
      `[campaign fault] sent before the kill: ${atKill}/1000; unconfirmed: ${unconfirmed.size}; of those without an email: ${missing.length}`,
    );
    expect(second.output()).not.toMatch(/"level":(50|60)/);
  }, 300_000);
});
