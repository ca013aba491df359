import { type CampaignJobData, QueueName } from '@commerce/contracts';
import { testEndpoints } from '@commerce/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { Collection } from 'mongoose';
import { CAMPAIGNS_COLLECTION, type CampaignDocument } from '../src/campaigns/campaign.schema';
import { CampaignFanout } from '../src/campaigns/campaign-fanout';
import { campaignKeys, campaignSuppressionKey } from '../src/campaigns/campaign-keys';
import { campaignJobId } from '../src/campaigns/campaign-job-id';
import { unsubscribeToken } from '../src/campaigns/unsubscribe-token';
import { AuthUsers } from './support/auth-users';
import { NotificationsTestEnvironment, errorShape, eventually } from './support/notifications-app';
import { buildNotifications, startProcessors } from './support/processors-process';

interface CampaignBody {
  id: string;
  status: string;
  total: number;
  queued: number;
  sent: number;
  failed: number;
  suppressed: number;
  fanoutDone: boolean;
  audience: Record<string, unknown>;
  locale: string;
}

const SECRET = 'test-campaign-unsubscribe-secret';

// Admin campaign API, fan-out from the auth service's user list into the campaign queue, the
// pause/resume/cancel state machine and the unsubscribe link (the processors run in one test only).
describe('notifications: campaigns', () => {
  const env = new NotificationsTestEnvironment();
  const auth = new AuthUsers(env.issuer);
  let admin: string;
  let queue: Queue<CampaignJobData>;
  let redis: Redis;
  let campaigns: Collection<CampaignDocument>;

  beforeAll(async () => {
    for (let i = 0; i < 25; i++) {
      auth.users.push({
        id: randomUUID(),
        email: env.email(`user${i}`),
        name: `User ${i}`,
        roles: i < 3 ? ['CUSTOMER', 'ADMIN'] : ['CUSTOMER'],
      });
    }
    await env.setUp({
      CAMPAIGN_FANOUT_PAGE_SIZE: '7',
      CAMPAIGN_SWEEP_INTERVAL_MS: '0',
      CAMPAIGN_UNSUBSCRIBE_SECRET: SECRET,
      PUBLIC_BASE_URL: 'http://shop.test/api',
    });
    admin = env.token(randomUUID(), ['CUSTOMER', 'ADMIN']);
    queue = new Queue<CampaignJobData>(QueueName.campaign, {
      connection: { url: testEndpoints.redisUrl },
      prefix: env.prefix,
    });
    redis = new Redis(testEndpoints.redisUrl);
    campaigns = env.connection.collection<CampaignDocument>(CAMPAIGNS_COLLECTION);
  }, 60_000);

  afterAll(async () => {
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    redis?.disconnect();
    await env.tearDown();
  });

  const create = (body: Record<string, unknown>, token = admin) =>
    env.request<CampaignBody>('POST', '/admin/campaigns', {
      token,
      body: { subject: 'News for {{name}}', template: 'newsletter', ...body },
    });
  const get = (id: string) =>
    env.request<CampaignBody>('GET', `/admin/campaigns/${id}`, { token: admin });
  const fannedOut = (id: string) =>
    eventually(`campaign ${id} to be fanned out`, async () => {
      const { body } = await get(id);
      return body.fanoutDone && body.status !== 'FANNING_OUT' ? body : undefined;
    });
  const jobsOf = async (id: string) =>
    (await queue.getJobs(['waiting', 'delayed', 'prioritized'])).filter(
      (job) => job.data.campaignId === id,
    );

  it('refuses bad input with a 400 naming the field, storing nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ template: 'no-such-template', audience: { all: true } }, 'template'],
      [{ template: 'order-confirmed', audience: { all: true } }, 'template'],
      [{ audience: { all: true, role: 'ADMIN' } }, 'audience'],
      [{ audience: {} }, 'audience'],
      [{ audience: { role: 'ROOT' } }, 'audience.role'],
      [{ audience: { userIds: ['nope'] } }, 'audience.userIds'],
      [{ audience: { userIds: [] } }, 'audience.userIds'],
      [{ audience: { all: true }, subject: '' }, 'subject'],
      [{ audience: { all: true }, subject: 'Hi {{orderId}}' }, 'subject'],
      [{ audience: { all: true }, extra: 1 }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const res = await create(body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(res.body).toMatchObject(errorShape(400, 'VALIDATION_FAILED'));
      const details = (res.body as unknown as { details: { field: string }[] }).details;
      expect(details.map((d) => d.field)).toContain(field);
    }
    expect(await campaigns.countDocuments()).toBe(0);
  });

  it('is for admins only', async () => {
    const customer = env.customer();
    expect((await create({ audience: { all: true } }, customer.token)).status).toBe(403);
    const list = await env.request('GET', '/admin/campaigns', { token: customer.token });
    expect(list.status).toBe(403);
    expect((await env.request('GET', '/admin/campaigns')).status).toBe(401);
    expect(await campaigns.countDocuments()).toBe(0);
  });

  it('fans an audience out page by page, once per user, even when run again', async () => {
    // One address unsubscribed before the campaign: skipped at fan-out, counted as suppressed.
    const gone = auth.users[4];
    if (!gone) throw new Error('no user');
    const link = unsubscribeToken(SECRET, { userId: gone.id, email: gone.email });
    expect((await env.request('GET', `/notifications/unsubscribe?token=${link}`)).status).toBe(200);

    const res = await create({ audience: { all: true }, locale: 'de-AT' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      status: expect.stringMatching(/^(CREATED|FANNING_OUT)$/),
      locale: 'de',
      audience: { all: true },
      sent: 0,
      failed: 0,
    });
    const done = await fannedOut(res.body.id);
    expect(done).toMatchObject({ total: 25, queued: 24, suppressed: 1, status: 'SENDING' });

    const jobs = await jobsOf(done.id);
    expect(jobs).toHaveLength(24);
    expect(new Set(jobs.map((j) => j.id)).size).toBe(24);
    for (const job of jobs) {
      expect(job.id).toBe(campaignJobId(done.id, job.data.userId));
      expect(job.data.unsubscribeUrl).toMatch(
        /^http:\/\/shop\.test\/api\/notifications\/unsubscribe\?token=[\w-]+\.[\w-]+$/,
      );
      expect(job.opts.attempts).toBeGreaterThan(1);
    }
    expect(jobs.map((j) => j.data.email)).not.toContain(gone.email);
    expect(await redis.get(campaignKeys(env.prefix, done.id).status)).toBe('SENDING');

    // The fan-out from the start again (as after a crash before its first save): nothing new.
    await campaigns.updateOne(
      { _id: done.id },
      {
        $set: {
          status: 'FANNING_OUT',
          fanoutDone: false,
          fanoutCursor: null,
          fanoutPages: 0,
          queued: 0,
          total: 0,
          fanoutOwner: null,
          fanoutLeaseUntil: null,
        },
      },
    );
    await env.app.get(CampaignFanout).start(done.id);
    const again = await fannedOut(done.id);
    expect(again).toMatchObject({ total: 25, queued: 24, suppressed: 1, status: 'SENDING' });
    expect(await jobsOf(done.id)).toHaveLength(24);
  });

  it('resumes a fan-out whose lease ran out, from its cursor, through the sweep', async () => {
    const res = await create({ audience: { role: 'CUSTOMER' } });
    const first = await fannedOut(res.body.id);
    expect(first.total).toBe(25);
    // As if an instance died after two pages: another one's lease, run out.
    await campaigns.updateOne(
      { _id: first.id },
      {
        $set: {
          status: 'FANNING_OUT',
          fanoutDone: false,
          fanoutPages: 2,
          fanoutOwner: 'dead-instance',
          fanoutLeaseUntil: new Date(Date.now() - 1000),
        },
      },
    );
    const cursor = (await campaigns.findOne({ _id: first.id }))?.fanoutCursor;
    auth.listRequests.length = 0;
    await env.app.get(CampaignFanout).sweep();
    const done = await fannedOut(first.id);
    expect(done.status).toBe('SENDING');
    expect(auth.listRequests[0]).toBe(`/internal/users?limit=7&role=CUSTOMER`);
    expect(auth.listRequests.length).toBeGreaterThan(0);
    expect(cursor).toBeNull(); // the last page's cursor: the rerun starts from the stored one
    expect(await jobsOf(first.id)).toHaveLength(24);
  });

  it('fans out a list of user ids, unknown ones left out', async () => {
    const ids = [auth.users[0]?.id, auth.users[1]?.id, randomUUID()];
    const res = await create({ audience: { userIds: ids } });
    expect(res.status).toBe(202);
    const done = await fannedOut(res.body.id);
    expect(done).toMatchObject({ total: 2, queued: 2 });
    expect((await jobsOf(done.id)).map((j) => j.data.userId).sort()).toEqual(
      ids.slice(0, 2).sort(),
    );
  });

  it('pauses, resumes and cancels, answering 409 CAMPAIGN_STATE otherwise', async () => {
    const { body } = await create({ audience: { role: 'ADMIN' } });
    const act = (action: string, id = body.id) =>
      env.request<CampaignBody>('POST', `/admin/campaigns/${id}/${action}`, { token: admin });
    const statusKey = campaignKeys(env.prefix, body.id).status;

    expect((await act('resume')).status).toBe(409);
    const paused = await act('pause');
    expect(paused.status).toBe(200);
    expect(paused.body.status).toBe('PAUSED');
    expect(await redis.get(statusKey)).toBe('PAUSED');
    const twice = await act('pause');
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject(errorShape(409, 'CAMPAIGN_STATE'));

    const resumed = await act('resume');
    expect(resumed.status).toBe(200);
    expect(resumed.body.status).toMatch(/^(FANNING_OUT|SENDING)$/);
    await fannedOut(body.id);
    expect(await redis.get(statusKey)).toBe('SENDING');

    const cancelled = await act('cancel');
    expect(cancelled.body.status).toBe('CANCELLED');
    expect(await redis.get(statusKey)).toBe('CANCELLED');
    for (const action of ['pause', 'resume', 'cancel']) {
      expect((await act(action)).body).toMatchObject(errorShape(409, 'CAMPAIGN_STATE'));
    }
    expect((await act('pause', randomUUID())).status).toBe(404);
    expect((await get(randomUUID())).status).toBe(404);
    expect((await get('not-a-uuid')).status).toBe(400);
  });

  it('lists campaigns and their failures with pages', async () => {
    const list = await env.request<{ items: CampaignBody[]; total: number; page: number }>(
      'GET',
      '/admin/campaigns?limit=2',
      { token: admin },
    );
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(2);
    expect(list.body.total).toBeGreaterThanOrEqual(4);
    const id = list.body.items[0]?.id ?? '';
    const failures = await env.request(`GET`, `/admin/campaigns/${id}/failures`, {
      token: admin,
    });
    expect(failures.body).toEqual({ items: [], total: 0, page: 1, limit: 20 });
  });

  it('delivers a campaign created through the API with the queue processors', async () => {
    await buildNotifications();
    const processors = await startProcessors({ MONGO_URL: env.mongoUrl, QUEUE_PREFIX: env.prefix });
    try {
      const ids = auth.users.slice(5, 15).map((u) => u.id);
      const res = await create({ audience: { userIds: ids }, subject: 'Hello {{name}}' });
      expect(res.status).toBe(202);
      const done = await eventually(
        'the campaign to complete',
        async () => {
          const { body } = await get(res.body.id);
          return body.status === 'COMPLETED' ? body : undefined;
        },
        30_000,
      );
      expect(done).toMatchObject({ total: 10, queued: 10, sent: 10, failed: 0 });
      for (const user of auth.users.slice(5, 15)) {
        const [mail] = await env.sink.waitFor(`to:"${user.email}"`, 1);
        const message = await env.sink.message(mail?.ID ?? '');
        expect(message.Subject).toBe(`Hello ${user.name}`);
        expect(message.Text).toContain('http://shop.test/api/notifications/unsubscribe?token=');
      }
    } finally {
      await processors.stop();
    }
  }, 300_000);

  it('unsubscribes the address of a good token, and refuses a bad one', async () => {
    const email = env.email('unsub');
    const token = unsubscribeToken(SECRET, { userId: randomUUID(), email });
    const res = await env.request(`GET`, `/notifications/unsubscribe?token=${token}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ email, unsubscribed: true });
    expect(await redis.sismember(campaignSuppressionKey(env.prefix), email)).toBe(1);
    // Again, from a browser: still fine, a page this time.
    const page = await fetch(`${env.url}/notifications/unsubscribe?token=${token}`, {
      headers: { accept: 'text/html' },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Unsubscribed');

    // One-click from a mail client (RFC 8058): a form-encoded POST to the same URL.
    const clicked = env.email('one-click');
    const oneClick = unsubscribeToken(SECRET, { userId: randomUUID(), email: clicked });
    const post = (token: string, form: string) =>
      fetch(`${env.url}/notifications/unsubscribe?token=${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
      });
    const notOneClick = await post(oneClick, 'List-Unsubscribe=Maybe');
    expect(notOneClick.status).toBe(400);
    const refusedBody = (await notOneClick.json()) as { details: { field: string }[] };
    expect(refusedBody.details.map((d) => d.field)).toContain('List-Unsubscribe');
    expect(await redis.sismember(campaignSuppressionKey(env.prefix), clicked)).toBe(0);
    for (let i = 0; i < 2; i += 1) {
      const done = await post(oneClick, 'List-Unsubscribe=One-Click');
      expect(done.status).toBe(200);
      expect(await done.json()).toEqual({ email: clicked, unsubscribed: true });
    }
    expect(await redis.sismember(campaignSuppressionKey(env.prefix), clicked)).toBe(1);
    expect((await post('nope', 'List-Unsubscribe=One-Click')).status).toBe(400);

    const forged = unsubscribeToken('another-secret-0123456789', { userId: 'x', email });
    for (const bad of [forged, 'nope', '']) {
      const refused = await env.request(`GET`, `/notifications/unsubscribe?token=${bad}`);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject(errorShape(400, 'VALIDATION_FAILED'));
    }
  });
});
