import { NotificationStatus } from '@commerce/contracts';
import type { ChildApp } from '@commerce/testing';
import { randomUUID } from 'node:crypto';
import { emailJobId } from '../src/channels/email-job-id';
import {
  type NotificationBody,
  NotificationsTestEnvironment,
  ORDER_DATA,
  errorShape,
  eventually,
} from './support/notifications-app';
import { buildNotifications, startProcessors } from './support/processors-process';

describe('POST /internal/notifications', () => {
  const env = new NotificationsTestEnvironment();

  beforeAll(() => env.setUp());
  afterAll(() => env.tearDown());

  it('stores a QUEUED email rendered from the template and enqueues its job', async () => {
    const userId = randomUUID();
    const key = `order-confirmed:${randomUUID()}`;
    const to = env.email();
    const res = await env.send({ userId, to, idempotencyKey: key });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      userId,
      channel: 'email',
      template: 'order-confirmed',
      locale: 'en',
      to,
      subject: 'Your order A-1001 is confirmed',
      text: expect.stringContaining('Total: €49.98'),
      status: 'QUEUED',
      attempts: 0,
      idempotencyKey: key,
      readAt: null,
      sentAt: null,
      lastError: null,
      createdAt: expect.any(String),
    });
    const stored = await env.find(res.body.id);
    expect(stored).toMatchObject({ data: ORDER_DATA, status: 'QUEUED' });
    expect(stored?.html).toContain('<td>Tea pot</td>');
    const job = await env.queue.getJob(emailJobId(key));
    expect(job?.data).toEqual({ notificationId: res.body.id });
    expect(job?.opts).toMatchObject({ attempts: 3, backoff: { type: 'exponential', delay: 200 } });
  });

  it('answers a repeated key with 200 and the first notification, storing nothing', async () => {
    const key = `k-${randomUUID()}`;
    const first = await env.send({ idempotencyKey: key });
    const again = await env.send({ idempotencyKey: key, to: env.email('other') });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await env.countNotifications({ idempotencyKey: key })).toBe(1);
  });

  it('keeps one notification and one job for 10 concurrent requests with one key', async () => {
    const key = `race:${randomUUID()}`;
    const to = env.email('race');
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => env.send({ idempotencyKey: key, to })),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([
      200, 200, 200, 200, 200, 200, 200, 200, 200, 201,
    ]);
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    expect(await env.countNotifications({ idempotencyKey: key })).toBe(1);
    const jobs = await env.queue.getJobs(['wait', 'delayed', 'active', 'completed']);
    expect(jobs.filter((j) => j.data.notificationId === replies[0]!.body.id)).toHaveLength(1);
  });

  it('renders in the requested locale, falling back to its language, then to English', async () => {
    const de = await env.send({ locale: 'de' });
    expect(de.body).toMatchObject({
      locale: 'de',
      subject: 'Ihre Bestellung A-1001 ist bestätigt',
    });
    expect(de.body.text).toContain('Gesamt: 49,98\u00a0€');
    const deAt = await env.send({ locale: 'de-AT' });
    expect(deAt.body.locale).toBe('de');
    const fr = await env.send({ locale: 'fr-FR' });
    expect(fr.body).toMatchObject({ locale: 'en', subject: 'Your order A-1001 is confirmed' });
  });

  it('refuses an unknown template or channel with 400 naming the field, storing nothing', async () => {
    const before = await env.countNotifications();
    const jobsBefore = await env.queue.count();

    const template = await env.send({ template: 'order-shipped' });
    expect(template.status).toBe(400);
    expect(template.body).toMatchObject(errorShape(400, 'VALIDATION_FAILED'));
    expect(template.body).toMatchObject({
      message: expect.stringContaining('unknown template "order-shipped"'),
      details: [
        {
          field: 'template',
          constraints: [
            'template must be one of: newsletter, order-cancelled, order-confirmed, order-failed, welcome',
          ],
        },
      ],
    });

    const channel = await env.send({ channel: 'fax' });
    expect(channel.status).toBe(400);
    expect(channel.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'channel', constraints: ['channel must be one of: email, sms, push'] }],
    });

    expect(await env.countNotifications()).toBe(before);
    expect(await env.queue.count()).toBe(jobsBefore);
  });

  it('refuses data the template cannot render, naming each missing field', async () => {
    const before = await env.countNotifications();
    const res = await env.send({
      data: {
        orderId: 'A-1',
        total: 100,
        currency: 'EUR',
        items: [{ quantity: 1, unitPrice: 100 }],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [
        {
          field: 'data.items[0].name',
          constraints: ['data.items[0].name is required by the template'],
        },
      ],
    });
    const money = await env.send({ data: { ...ORDER_DATA, total: 49.98 } });
    expect(money.status).toBe(400);
    expect(money.body).toMatchObject({ details: [{ field: 'data.total' }] });
    expect(await env.countNotifications()).toBe(before);
  });

  it('refuses bad recipients and bodies with 400, storing nothing', async () => {
    const before = await env.countNotifications();
    const cases: [Record<string, unknown>, string][] = [
      [{ to: 'not-an-address' }, 'to'],
      [{ channel: 'sms', to: '0151 1234' }, 'to'],
      [{ channel: 'push', to: 'x' }, 'to'],
      [{ data: { $where: 'sleep(1000)' } }, 'data'],
      [{ data: 'text' }, 'data'],
      [{ idempotencyKey: 'has spaces' }, 'idempotencyKey'],
      [{ locale: 'not a locale' }, 'locale'],
      [{ extra: true }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const res = await env.send(body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      const fields = (res.body as unknown as { details: { field: string }[] }).details.map(
        (d) => d.field,
      );
      expect({ body, fields }).toEqual({ body, fields: expect.arrayContaining([field]) });
    }
    expect(await env.countNotifications()).toBe(before);
  });

  it('is for SERVICE tokens only', async () => {
    const res = await env.request('POST', '/internal/notifications', {
      token: env.customer().token,
      body: {},
    });
    expect(res.status).toBe(403);
  });
});

describe('SMS and push (development providers)', () => {
  const env = new NotificationsTestEnvironment();

  beforeAll(() => env.setUp());
  afterAll(() => env.tearDown());

  it.each([
    ['sms', '+4915112345678'],
    ['push', 'device-token-0123456789'],
  ])('records what %s would send and marks it SENT, once', async (channel, to) => {
    const key = `welcome:${randomUUID()}`;
    const res = await env.send({
      channel,
      to,
      template: 'welcome',
      data: { name: 'Ada' },
      idempotencyKey: key,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      channel,
      to,
      subject: 'Welcome, Ada',
      status: 'SENT',
      attempts: 1,
      sentAt: expect.any(String),
    });
    const again = await env.send({
      channel,
      to,
      template: 'welcome',
      data: { name: 'Ada' },
      idempotencyKey: key,
    });
    expect(again.status).toBe(200);
    const deliveries = await env.connection
      .collection('deliveries')
      .find({ _id: res.body.id as never })
      .toArray();
    expect(deliveries).toEqual([
      expect.objectContaining({
        channel,
        to,
        subject: 'Welcome, Ada',
        text: expect.stringContaining('Welcome, Ada!'),
      }),
    ]);
    expect(await env.queue.getJob(emailJobId(key))).toBeUndefined();
  });
});

describe('GET /notifications and POST /notifications/:id/read', () => {
  const env = new NotificationsTestEnvironment();
  const ada = { id: randomUUID(), token: '' };
  const bob = { id: randomUUID(), token: '' };
  const adas: NotificationBody[] = [];

  beforeAll(async () => {
    await env.setUp();
    ada.token = env.token(ada.id);
    bob.token = env.token(bob.id);
    for (let i = 0; i < 5; i++) {
      const res = await env.send({
        userId: ada.id,
        channel: 'push',
        to: `ada-device-token-${i}`,
        template: 'welcome',
        data: { name: `Ada ${i}` },
      });
      adas.push(res.body);
    }
    await env.send({ userId: bob.id, template: 'welcome', data: { name: 'Bob' } });
  });
  afterAll(() => env.tearDown());

  it("lists the caller's own notifications, newest first, a page at a time", async () => {
    const page1 = await env.request<{
      items: NotificationBody[];
      total: number;
      page: number;
      limit: number;
    }>('GET', '/notifications?limit=2', { token: ada.token });
    expect(page1.status).toBe(200);
    expect(page1.body).toMatchObject({ total: 5, page: 1, limit: 2 });
    const page3 = await env.request<{ items: NotificationBody[] }>(
      'GET',
      '/notifications?limit=2&page=3',
      {
        token: ada.token,
      },
    );
    const all = await env.request<{ items: NotificationBody[] }>('GET', '/notifications', {
      token: ada.token,
    });
    expect(all.body.items.map((n) => n.subject)).toEqual([
      'Welcome, Ada 4',
      'Welcome, Ada 3',
      'Welcome, Ada 2',
      'Welcome, Ada 1',
      'Welcome, Ada 0',
    ]);
    expect(page1.body.items.map((n) => n.id)).toEqual(all.body.items.slice(0, 2).map((n) => n.id));
    expect(page3.body.items.map((n) => n.id)).toEqual([adas[0]!.id]);
    expect(all.body.items.every((n) => n.userId === ada.id)).toBe(true);

    const bobs = await env.request<{ items: NotificationBody[]; total: number }>(
      'GET',
      '/notifications',
      {
        token: bob.token,
      },
    );
    expect(bobs.body.total).toBe(1);
    expect(bobs.body.items[0]).toMatchObject({ userId: bob.id, subject: 'Welcome, Bob' });
  });

  it('rejects bad paging and service tokens', async () => {
    expect(
      (await env.request('GET', '/notifications?limit=500', { token: ada.token })).status,
    ).toBe(400);
    expect((await env.request('GET', '/notifications', { token: env.serviceToken() })).status).toBe(
      403,
    );
    expect((await env.request('GET', '/notifications')).status).toBe(401);
  });

  it('marks the caller’s notification as read once; another’s is a 404', async () => {
    const target = adas[2]!;
    const first = await env.request<NotificationBody>('POST', `/notifications/${target.id}/read`, {
      token: ada.token,
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: target.id, readAt: expect.any(String) });
    const again = await env.request<NotificationBody>('POST', `/notifications/${target.id}/read`, {
      token: ada.token,
    });
    expect(again.body.readAt).toBe(first.body.readAt);

    const foreign = await env.request('POST', `/notifications/${target.id}/read`, {
      token: bob.token,
    });
    expect(foreign.status).toBe(404);
    expect(foreign.body).toMatchObject(errorShape(404, 'NOT_FOUND'));
    const missing = await env.request('POST', `/notifications/${randomUUID()}/read`, {
      token: ada.token,
    });
    expect(missing.status).toBe(404);
    expect(
      (await env.request('POST', '/notifications/nope/read', { token: ada.token })).status,
    ).toBe(400);
    expect((await env.find(target.id))?.readAt).toBeInstanceOf(Date);
  });
});

describe('email delivery through the queue processors', () => {
  const env = new NotificationsTestEnvironment();
  let processors: ChildApp | undefined;

  beforeAll(async () => {
    await buildNotifications();
    await env.setUp();
  }, 300_000);
  afterAll(async () => {
    await processors?.stop();
    await env.tearDown();
  });

  it('sends ONE email for repeated and concurrent requests with one key', async () => {
    const key = `order-confirmed:${randomUUID()}`;
    const to = env.email('once');
    const first = await env.send({ idempotencyKey: key, to });
    const more = await Promise.all(
      Array.from({ length: 10 }, () => env.send({ idempotencyKey: key, to })),
    );
    expect([first, ...more].map((r) => r.body.id)).toEqual(Array(11).fill(first.body.id));

    processors = await startProcessors({ MONGO_URL: env.mongoUrl, QUEUE_PREFIX: env.prefix });
    const sent = await eventually('the notification to be SENT', async () => {
      const doc = await env.find(first.body.id);
      return doc?.status === NotificationStatus.SENT ? doc : undefined;
    });
    expect(sent).toMatchObject({ attempts: 1, messageId: `<${first.body.id}@commerce.test>` });

    const [summary] = await env.sink.waitFor(`to:"${to}"`);
    const message = await env.sink.message(summary!.ID);
    expect(message.Subject).toBe('Your order A-1001 is confirmed');
    expect(message.Text).toContain('Total: €49.98');
    expect(message.HTML).toContain('<td>Tea pot</td>');

    // A repeat after delivery changes nothing and sends nothing.
    const late = await env.send({ idempotencyKey: key, to });
    expect(late).toMatchObject({ status: 200, body: { id: first.body.id, status: 'SENT' } });
    await new Promise((r) => setTimeout(r, 1000));
    expect(await env.sink.search(`to:"${to}"`)).toHaveLength(1);
    expect(await env.countNotifications({ idempotencyKey: key })).toBe(1);

    const view = await env.request<NotificationBody>(
      'GET',
      `/internal/notifications/${first.body.id}`,
      {
        token: env.serviceToken(),
      },
    );
    expect(view.body).toMatchObject({ status: 'SENT', attempts: 1, sentAt: expect.any(String) });
  }, 60_000);
});

describe('GET /admin/notifications', () => {
  const env = new NotificationsTestEnvironment();
  const orderId = randomUUID();
  const otherOrderId = randomUUID();
  const customer = randomUUID();
  let admin: string;

  beforeAll(async () => {
    await env.setUp();
    admin = env.token(randomUUID(), ['ADMIN']);
    // What a checkout sends: keyed by template and order, the order's id in its data.
    for (const template of ['order-confirmed', 'order-cancelled']) {
      await env.send({
        userId: customer,
        template,
        data: {
          ...ORDER_DATA,
          orderId,
          ...(template === 'order-cancelled' ? { reason: 'r' } : {}),
        },
        idempotencyKey: `${template}:${orderId}`,
      });
    }
    await env.send({
      userId: customer,
      data: { ...ORDER_DATA, orderId: otherOrderId },
      idempotencyKey: `order-confirmed:${otherOrderId}`,
    });
    await env.send({ template: 'welcome', data: { name: 'Someone else' } });
  });
  afterAll(() => env.tearDown());

  type Page = { items: NotificationBody[]; total: number; page: number; limit: number };

  it('lists the notifications sent about one order, newest first, a page at a time', async () => {
    const all = await env.request<Page>('GET', `/admin/notifications?orderId=${orderId}`, {
      token: admin,
    });
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 2, page: 1, limit: 20 });
    expect(all.body.items.map((n) => n.idempotencyKey)).toEqual([
      `order-cancelled:${orderId}`,
      `order-confirmed:${orderId}`,
    ]);
    expect(all.body.items[0]).toMatchObject({ userId: customer, channel: 'email' });

    const second = await env.request<Page>(
      'GET',
      `/admin/notifications?orderId=${orderId}&limit=1&page=2`,
      { token: env.token(randomUUID(), ['SUPER_ADMIN']) },
    );
    expect(second.body).toMatchObject({ total: 2, page: 2, limit: 1 });
    expect(second.body.items.map((n) => n.idempotencyKey)).toEqual([`order-confirmed:${orderId}`]);
  });

  it('filters by recipient and status', async () => {
    const mine = await env.request<Page>('GET', `/admin/notifications?userId=${customer}`, {
      token: admin,
    });
    expect(mine.body.total).toBe(3);
    expect(mine.body.items.every((n) => n.userId === customer)).toBe(true);
    const failed = await env.request<Page>(
      'GET',
      `/admin/notifications?userId=${customer}&status=FAILED`,
      { token: admin },
    );
    expect(failed.body).toMatchObject({ total: 0, items: [] });
  });

  it('refuses customers (403), service accounts (403) and strangers (401)', async () => {
    const customerReply = await env.request('GET', `/admin/notifications?orderId=${orderId}`, {
      token: env.token(customer),
    });
    expect(customerReply.status).toBe(403);
    expect(customerReply.body).toMatchObject(errorShape(403, 'FORBIDDEN'));
    expect(
      (
        await env.request('GET', `/admin/notifications?orderId=${orderId}`, {
          token: env.serviceToken(),
        })
      ).status,
    ).toBe(403);
    expect((await env.request('GET', '/admin/notifications')).status).toBe(401);
  });

  it('names the field of a bad query in a 400', async () => {
    const bad = await env.request('GET', '/admin/notifications?orderId=nope&status=LOST', {
      token: admin,
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    const fields = (bad.body.details as { field: string }[]).map((d) => d.field).sort();
    expect(fields).toEqual(['orderId', 'status']);
    const unknown = await env.request('GET', '/admin/notifications?recipient=x', { token: admin });
    expect(unknown.status).toBe(400);
    expect(
      (await env.request('GET', '/admin/notifications?limit=101', { token: admin })).status,
    ).toBe(400);
  });
});
