import { randomUUID } from 'node:crypto';
import { NotificationsTestEnvironment, errorShape } from './support/notifications-app';

describe('notifications service edges', () => {
  const env = new NotificationsTestEnvironment();

  beforeAll(() => env.setUp());
  afterAll(() => env.tearDown());

  it('reports MongoDB and Redis in /health', async () => {
    const res = await env.request('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      info: { mongodb: { status: 'up' }, redis: { status: 'up' } },
    });
  });

  it('serves /metrics with the notification counters', async () => {
    await env.send();
    const res = await fetch(`${env.url}/metrics`);
    const text = await res.text();
    expect(text).toMatch(
      /business_operations_total\{operation="notify",status="created",service="notifications"\} [1-9]/,
    );
  });

  it('documents every route in OpenAPI, each with a bearer requirement but the unsubscribe link', async () => {
    const res = await env.request<{
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    }>('GET', '/docs-json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/notifications',
        '/notifications/{id}/read',
        '/internal/notifications',
        '/internal/notifications/{id}',
        '/admin/campaigns',
        '/admin/campaigns/{id}',
        '/admin/campaigns/{id}/failures',
        '/admin/campaigns/{id}/pause',
        '/admin/campaigns/{id}/resume',
        '/admin/campaigns/{id}/cancel',
        '/admin/notifications',
        '/notifications/unsubscribe',
      ]),
    );
    for (const [path, operations] of Object.entries(res.body.paths)) {
      if (path.startsWith('/health') || path === '/metrics') continue;
      // Opened from an email, with the token in the link instead of a bearer token.
      const isPublic = path === '/notifications/unsubscribe';
      for (const [method, operation] of Object.entries(operations)) {
        expect({ path, method, security: operation.security }).toEqual({
          path,
          method,
          security: isPublic ? undefined : [{ bearer: [] }],
        });
      }
    }
  });

  it('refuses a body over the limit with 413', async () => {
    const res = await env.send({ data: { blob: 'x'.repeat(1_100_000) } });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject(errorShape(413, 'PAYLOAD_TOO_LARGE'));
  });

  it('never answers 5xx to malformed bodies and stores nothing', async () => {
    const before = await env.countNotifications();
    const bodies: unknown[] = [
      [],
      'text',
      42,
      null,
      { userId: null, channel: null, template: null, to: null, data: null, idempotencyKey: null },
      { userId: {}, channel: ['email'], template: 5, to: { $ne: 1 }, data: [], idempotencyKey: 5 },
      {
        userId: 'u',
        channel: 'email',
        template: 'welcome',
        to: 'a@b.test',
        data: { name: { $gt: '' } },
        idempotencyKey: 'k',
      },
      { __proto__: { polluted: true }, constructor: { prototype: { x: 1 } } },
    ];
    for (const body of bodies) {
      const res = await env.request('POST', '/internal/notifications', {
        token: env.serviceToken(),
        body,
      });
      expect({ body, ok: res.status >= 400 && res.status < 500 }).toEqual({ body, ok: true });
    }
    expect(await env.countNotifications()).toBe(before);
  });

  it('seeds the built-in templates once, however many instances start', async () => {
    const templates = env.connection.collection('templates');
    // Five templates (welcome, order confirmed / cancelled / failed, newsletter) in en and de.
    expect(await templates.countDocuments()).toBe(10);
    await templates.updateOne(
      { _id: 'welcome/en' as never },
      { $set: { origin: 'custom', subject: 'Hello {{name}}, nice to meet you' } },
    );
    await Promise.all([env.start(), env.start()]);
    expect(await templates.countDocuments()).toBe(10);
    expect(await templates.countDocuments({ origin: 'seed' })).toBe(9);
    const res = await env.send({
      template: 'welcome',
      data: { name: 'Ada' },
      idempotencyKey: randomUUID(),
    });
    expect(res.body.subject).toBe('Hello Ada, nice to meet you');
  });
});
