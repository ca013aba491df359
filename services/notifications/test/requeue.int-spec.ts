import { NotificationStatus } from '@commerce/contracts';
import { UnrecoverableError, Worker } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { testEndpoints } from '@commerce/testing';
import { emailJobId } from '../src/channels/email-job-id';
import { EmailQueue } from '../src/channels/email-queue';
import { RequeueSweeper } from '../src/notifications/requeue-sweeper';
import { NotificationsTestEnvironment, eventually } from './support/notifications-app';

/** No message is lost between storing a notification and handing it to the queue. */
describe('handing QUEUED notifications over again', () => {
  const env = new NotificationsTestEnvironment();
  const sweep = () => env.app.get(RequeueSweeper).tick();
  const backdate = (id: string, ms: number) =>
    env.notifications.updateOne({ _id: id }, { $set: { createdAt: new Date(Date.now() - ms) } });

  beforeAll(() => env.setUp());
  afterAll(() => env.tearDown());

  it('re-enqueues on a repeated request when the job was lost', async () => {
    const key = `lost:${randomUUID()}`;
    const first = await env.send({ idempotencyKey: key });
    await (await env.queue.getJob(emailJobId(key)))!.remove();

    const again = await env.send({ idempotencyKey: key });
    expect(again.status).toBe(200);
    const job = await env.queue.getJob(emailJobId(key));
    expect(job?.data).toEqual({ notificationId: first.body.id });
  });

  it('sweeps stale QUEUED notifications whose job is missing, and leaves fresh ones alone', async () => {
    const staleKey = `stale:${randomUUID()}`;
    const freshKey = `fresh:${randomUUID()}`;
    const stale = await env.send({ idempotencyKey: staleKey });
    await env.send({ idempotencyKey: freshKey });
    for (const key of [staleKey, freshKey])
      await (await env.queue.getJob(emailJobId(key)))!.remove();
    await backdate(stale.body.id, 2 * 60_000);

    await sweep();
    expect((await env.queue.getJob(emailJobId(staleKey)))?.data).toEqual({
      notificationId: stale.body.id,
    });
    expect(await env.queue.getJob(emailJobId(freshKey))).toBeUndefined();
  });

  it('stores and answers 201 when the queue is unreachable; the sweep hands it over later', async () => {
    const other = await env.start();
    await other.app.get(EmailQueue).queue.close();
    const key = `offline:${randomUUID()}`;
    const offline = await other.request<{ id: string; status: string }>(
      'POST',
      '/internal/notifications',
      {
        token: env.serviceToken(),
        body: {
          userId: randomUUID(),
          channel: 'email',
          template: 'welcome',
          to: env.email('offline'),
          data: { name: 'Ada' },
          idempotencyKey: key,
        },
      },
    );
    expect(offline.status).toBe(201);
    expect(offline.body.status).toBe('QUEUED');
    expect(await env.find(offline.body.id)).toMatchObject({ status: 'QUEUED' });
    expect(await env.queue.getJob(emailJobId(key))).toBeUndefined();

    await backdate(offline.body.id, 2 * 60_000);
    await sweep();
    expect(await env.queue.getJob(emailJobId(key))).toBeDefined();
  });

  it('retries a failed job of a notification still QUEUED, and gives up after many attempts', async () => {
    const retryKey = `revive:${randomUUID()}`;
    const giveUpKey = `give-up:${randomUUID()}`;
    const revive = await env.send({ idempotencyKey: retryKey });
    const giveUp = await env.send({ idempotencyKey: giveUpKey });
    // A worker whose jobs fail without touching the notification (e.g. it kept stalling).
    const failing = new Worker(
      'email',
      () => Promise.reject(new UnrecoverableError('stalled too often')),
      { connection: { url: testEndpoints.redisUrl }, prefix: env.prefix },
    );
    try {
      for (const key of [retryKey, giveUpKey]) {
        await eventually(`job ${key} to fail`, async () =>
          (await env.queue.getJob(emailJobId(key)))?.isFailed(),
        );
      }
    } finally {
      await failing.close();
    }
    await env.notifications.updateOne({ _id: giveUp.body.id }, { $set: { attempts: 6 } });
    await backdate(revive.body.id, 2 * 60_000);
    await backdate(giveUp.body.id, 2 * 60_000);

    await sweep();
    expect(await (await env.queue.getJob(emailJobId(retryKey)))!.getState()).toBe('waiting');
    expect(await env.find(revive.body.id)).toMatchObject({ status: NotificationStatus.QUEUED });
    expect(await env.find(giveUp.body.id)).toMatchObject({
      status: NotificationStatus.FAILED,
      lastError: expect.stringContaining('gave up after 6 attempts'),
    });
  });
});

describe('the requeue sweep over a long backlog', () => {
  const env = new NotificationsTestEnvironment();

  beforeAll(() => env.setUp());
  afterAll(() => env.tearDown());

  it('walks it a batch per sweep instead of rechecking its oldest part', async () => {
    const keys = [0, 1, 2].map((i) => `backlog-${i}:${randomUUID()}`);
    for (const [i, key] of keys.entries()) {
      const res = await env.send({ idempotencyKey: key });
      await (await env.queue.getJob(emailJobId(key)))!.remove();
      await env.notifications.updateOne(
        { _id: res.body.id },
        { $set: { createdAt: new Date(Date.now() - 10 * 60_000 + i * 1000) } },
      );
    }
    const queued = async () =>
      (await Promise.all(keys.map((key) => env.queue.getJob(emailJobId(key))))).map(Boolean);

    const small = await env.start({ REQUEUE_BATCH_SIZE: '2' });
    const sweeper = small.app.get(RequeueSweeper);
    await sweeper.tick(); // the sweep at start is already running: this waits for it
    expect(await queued()).toEqual([true, true, false]);
    await sweeper.tick();
    expect(await queued()).toEqual([true, true, true]);
  });
});
