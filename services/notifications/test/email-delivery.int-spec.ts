import { NotificationStatus } from '@commerce/contracts';
import { randomUUID } from 'node:crypto';
import { NotificationStore } from '../src/delivery/notification-store';
import {
  DeliveryTestEnvironment,
  EmailClaimStage,
  type RunningProcessors,
  eventually,
} from './support/delivery-env';

describe('email processor (real Redis, FerretDB and mailpit)', () => {
  const env = new DeliveryTestEnvironment();
  let processors: RunningProcessors;

  beforeAll(async () => {
    await env.setUp();
    processors = await env.startInProcess({ EMAIL_CONCURRENCY: '4' });
  });
  afterAll(() => env.tearDown());

  it('sends a queued notification once and marks it SENT', async () => {
    const doc = await env.createNotification({ subject: 'Your order A-1 is confirmed' });
    await env.enqueue(doc);

    const sent = await env.settled(doc._id);
    expect(sent).toMatchObject({
      status: NotificationStatus.SENT,
      attempts: 1,
      lastError: null,
      messageId: `<${doc._id}@commerce.test>`,
      deliveryUnconfirmed: false,
    });
    expect(sent.sentAt).toBeInstanceOf(Date);
    expect(await env.claimsOf(doc)).toEqual([
      expect.objectContaining({ generation: 1, stage: EmailClaimStage.HANDOVER }),
    ]);

    const [summary] = await env.sink.waitFor(`to:"${doc.to}"`);
    const message = await env.sink.message(summary!.ID);
    expect(message.Subject).toBe('Your order A-1 is confirmed');
    expect(message.From.Address).toBe('no-reply@commerce.test');
    expect(message.Text.trim()).toBe(doc.text);
    expect(message.HTML).toContain(`<b>${doc._id}</b>`);
    expect((summary as unknown as { MessageID: string }).MessageID).toBe(
      `${doc._id}@commerce.test`,
    );
  });

  it('skips a notification that is already SENT (a retried or repeated job)', async () => {
    const doc = await env.createNotification({
      status: NotificationStatus.SENT,
      sentAt: new Date(),
      attempts: 1,
    });
    const jobId = await env.enqueue(doc);
    const job = await eventually('the job to complete', async () => {
      const found = await env.queue.getJob(jobId);
      return (await found?.isCompleted()) ? found : undefined;
    });
    expect(job.returnvalue).toBe('skipped');
    expect((await env.find(doc._id))?.attempts).toBe(1);
    expect(await env.sink.search(`to:"${doc.to}"`)).toHaveLength(0);
  });

  it('sends one email for a notification whose job is enqueued many times', async () => {
    const doc = await env.createNotification();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => env.enqueue(doc, { jobId: `dup-${doc._id}-${i}` })),
    );
    await env.settled(doc._id);
    // Let every duplicate job finish before counting.
    await eventually('all duplicate jobs to finish', async () => {
      const counts = await env.queue.getJobCounts('wait', 'active', 'delayed');
      return (counts.wait ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0) === 0;
    });
    expect(await env.sink.search(`to:"${doc.to}"`)).toHaveLength(1);
    // One claim among twenty racing jobs: the claim is an insert, which has one winner.
    expect(await env.find(doc._id)).toMatchObject({ status: NotificationStatus.SENT, attempts: 1 });
    expect(await env.claimsOf(doc)).toHaveLength(1);
  });

  it('lets exactly one of 20 racing claims on a notification win, round after round', async () => {
    // The measurement behind NotificationStore's claim (an insert, not a conditional update):
    // 20 attempts claim one notification at once, through the processor's own store.
    const store = processors.app.get(NotificationStore);
    const rounds = 30;
    const winners: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const doc = await env.createNotification();
      const results = await Promise.all(
        Array.from({ length: 20 }, () => store.claim(doc._id, randomUUID(), 'racer', 60_000)),
      );
      winners.push(results.filter((r) => r.kind === 'claimed').length);
      expect((await env.find(doc._id))?.attempts).toBe(1);
    }
    console.log(
      `[claim race] 20 racers, ${rounds} rounds: winners per round ${winners.join(',')}; rounds with exactly one winner: ${winners.filter((n) => n === 1).length}/${rounds}`,
    );
    expect(winners).toEqual(Array(rounds).fill(1));
  });

  it('takes over the claim of an attempt that died before handing the message over', async () => {
    const lease = processors.config.EMAIL_CLAIM_LEASE_MS;
    const doc = await env.createNotification({ attempts: 1 });
    await env.createClaim(doc, {
      stage: EmailClaimStage.SENDING,
      claimedAt: new Date(Date.now() - lease - 1000),
    });
    await env.enqueue(doc);
    const sent = await env.settled(doc._id);
    expect(sent).toMatchObject({ status: NotificationStatus.SENT, attempts: 2 });
    expect(sent.deliveryUnconfirmed).toBe(false);
    await env.sink.waitFor(`to:"${doc.to}"`);
  });

  it('never resends a message whose sender died after handing it over', async () => {
    const lease = processors.config.EMAIL_CLAIM_LEASE_MS;
    const doc = await env.createNotification({ attempts: 1 });
    await env.createClaim(doc, {
      stage: EmailClaimStage.HANDOVER,
      claimedAt: new Date(Date.now() - lease - 1000),
    });
    await env.enqueue(doc);
    const sent = await env.settled(doc._id);
    expect(sent).toMatchObject({
      status: NotificationStatus.SENT,
      attempts: 1,
      deliveryUnconfirmed: true,
      lastError: expect.stringContaining('without the SMTP server confirmation'),
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(await env.sink.search(`to:"${doc.to}"`)).toHaveLength(0);
  });

  it('waits for a live claim to run out before taking it over', async () => {
    const claimedAt = new Date();
    const doc = await env.createNotification({ attempts: 1 });
    await env.createClaim(doc, { stage: EmailClaimStage.SENDING, claimedAt });
    const jobId = await env.enqueue(doc);
    await eventually('the job to be deferred', async () =>
      (await env.queue.getJob(jobId))?.isDelayed(),
    );
    expect(await env.find(doc._id)).toMatchObject({ status: NotificationStatus.QUEUED });

    const sent = await env.settled(doc._id);
    expect(sent.sentAt!.getTime()).toBeGreaterThanOrEqual(
      claimedAt.getTime() + processors.config.EMAIL_CLAIM_LEASE_MS,
    );
    expect(sent.attempts).toBe(2);
    expect(await env.sink.waitFor(`to:"${doc.to}"`)).toHaveLength(1);
  });

  it('counts processed jobs in /metrics and reports its dependencies in /health', async () => {
    const health = await fetch(`${processors.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      info: { mongodb: { status: 'up' }, redis: { status: 'up' } },
    });
    const metrics = await (await fetch(`${processors.url}/metrics`)).text();
    expect(metrics).toMatch(
      /business_operations_total\{operation="job\.email",status="sent",service="notification-processors"\} [1-9]/,
    );
    expect(metrics).toMatch(/status="skipped",service="notification-processors"\} [1-9]/);
  });
});

describe('email processor against a failing SMTP server', () => {
  const env = new DeliveryTestEnvironment();

  beforeAll(() => env.setUp());
  afterAll(() => env.tearDown());

  it('marks FAILED at once when the server refuses the recipient for good (5xx)', async () => {
    env.proxy.mode = 'reject-recipient';
    const processors = await env.startInProcess({ SMTP_URL: env.proxy.url });
    const doc = await env.createNotification();
    const jobId = await env.enqueue(doc, { attempts: 5 });
    const failed = await env.settled(doc._id);
    expect(failed).toMatchObject({
      status: NotificationStatus.FAILED,
      attempts: 1,
      lastError: expect.stringContaining('550'),
    });
    const job = await eventually('the job to fail', async () => {
      const found = await env.queue.getJob(jobId);
      return (await found?.isFailed()) ? found : undefined;
    });
    expect(job.attemptsMade).toBe(1);
    await env.stop(processors);
    env.proxy.mode = 'pass';
  });

  it('retries while the server is unreachable and marks FAILED after the last attempt', async () => {
    const processors = await env.startInProcess({
      SMTP_URL: 'smtp://127.0.0.1:9',
      SMTP_TIMEOUT_MS: '500',
    });
    const doc = await env.createNotification();
    await env.enqueue(doc, { attempts: 3, backoff: { type: 'fixed', delay: 100 } });
    const failed = await env.settled(doc._id);
    expect(failed).toMatchObject({
      status: NotificationStatus.FAILED,
      attempts: 3,
      lastError: expect.stringMatching(/ECONNREFUSED|connect/i),
    });
    await env.stop(processors);
  });

  it('counts a message as sent, once, when the connection drops after the hand-over', async () => {
    env.proxy.mode = 'drop-after-dot';
    const processors = await env.startInProcess({ SMTP_URL: env.proxy.url });
    const doc = await env.createNotification();
    await env.enqueue(doc);
    const sent = await env.settled(doc._id);
    expect(sent).toMatchObject({ status: NotificationStatus.SENT, deliveryUnconfirmed: true });
    expect(await env.sink.waitFor(`to:"${doc.to}"`)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(await env.sink.search(`to:"${doc.to}"`)).toHaveLength(1);
    await env.stop(processors);
    env.proxy.mode = 'pass';
  });
});

describe('email processor running late', () => {
  const env = new DeliveryTestEnvironment();

  beforeAll(() => env.setUp());
  afterAll(() => env.tearDown());

  it('does not hand a message over once its claim is about to run out, and sends it once later', async () => {
    env.proxy.mode = 'hold-before-body';
    const processors = await env.startInProcess({
      SMTP_URL: env.proxy.url,
      EMAIL_CLAIM_LEASE_MS: '600',
    });
    const doc = await env.createNotification();
    await env.enqueue(doc);
    await eventually('the conversation to be held', () => env.proxy.held === 1);
    // Let the go-ahead through only after three quarters of the lease: too late to hand over.
    await new Promise((r) => setTimeout(r, 500));
    env.proxy.mode = 'pass';
    env.proxy.release();

    const sent = await env.settled(doc._id);
    expect(sent).toMatchObject({ status: NotificationStatus.SENT, attempts: 2 });
    expect(sent.deliveryUnconfirmed).toBe(false);
    await new Promise((r) => setTimeout(r, 300));
    expect(await env.sink.search(`to:"${doc.to}"`)).toHaveLength(1);
    await env.stop(processors);
  });
});

describe('email processor shutdown', () => {
  const env = new DeliveryTestEnvironment();

  beforeAll(() => env.setUp());
  afterAll(() => env.tearDown());

  it('finishes the active job, leaves the others queued, and a later worker sends them once', async () => {
    env.proxy.mode = 'hold-before-body';
    const processors = await env.startInProcess({
      SMTP_URL: env.proxy.url,
      EMAIL_CONCURRENCY: '1',
      WORKER_SHUTDOWN_GRACE_MS: '10000',
    });
    const docs = await Promise.all([1, 2, 3].map(() => env.createNotification()));
    for (const doc of docs) await env.enqueue(doc);
    await eventually('one conversation to be held', () => env.proxy.held === 1);

    const stopping = env.stop(processors);
    // Let the held message go: the active job completes during the grace time.
    await new Promise((r) => setTimeout(r, 300));
    env.proxy.mode = 'pass';
    env.proxy.release();
    await stopping;

    const states = await Promise.all(docs.map((doc) => env.find(doc._id)));
    expect(states.map((s) => s?.status).sort()).toEqual([
      NotificationStatus.QUEUED,
      NotificationStatus.QUEUED,
      NotificationStatus.SENT,
    ]);
    expect((await env.queue.getJobCounts('wait')).wait).toBe(2);

    const next = await env.startInProcess();
    for (const doc of docs) await env.settled(doc._id);
    const counts = await env.mailCounts();
    expect(docs.map((doc) => counts.get(doc.to))).toEqual([1, 1, 1]);
    await env.stop(next);
  });

  it('past the grace time, puts a job that has not handed its message over back in the queue', async () => {
    env.proxy.mode = 'hold-before-body';
    const processors = await env.startInProcess({
      SMTP_URL: env.proxy.url,
      EMAIL_CONCURRENCY: '1',
      WORKER_SHUTDOWN_GRACE_MS: '300',
    });
    const doc = await env.createNotification();
    await env.enqueue(doc);
    await eventually('the conversation to be held', () => env.proxy.held === 1);
    await env.stop(processors);

    const after = await env.find(doc._id);
    expect(after).toMatchObject({ status: NotificationStatus.QUEUED });
    expect(await env.claimsOf(doc)).toEqual([
      expect.objectContaining({ stage: EmailClaimStage.RELEASED }),
    ]);
    expect(await env.sink.search(`to:"${doc.to}"`)).toHaveLength(0);

    env.proxy.mode = 'pass';
    const next = await env.startInProcess();
    await env.settled(doc._id);
    expect(await env.sink.waitFor(`to:"${doc.to}"`)).toHaveLength(1);
    await env.stop(next);
  });
});
