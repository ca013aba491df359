import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { REPO_ROOT } from '@commerce/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  type CheckoutStack,
  type Shopper,
  type Tokens,
  apiClient,
  checkout,
  registerShopper,
  startCheckoutStack,
  stockedProduct,
  waitForOrder,
} from '../../src';
import { launchChromium, screenshotPath } from '../../src/browser';

const REVIEW_THRESHOLD = 50_000;

/** The page's cookies as its scripts see them (page.evaluate callbacks run in the page). */
const pageCookies = () =>
  (globalThis as unknown as { document: { cookie: string } }).document.cookie;
const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1280, height: 900 };

/**
 * The operator console in Chromium against the whole stack (every app its own process, as
 * `npm start` runs them): an operator signs in, approves one large order and rejects another from
 * the review queue, and both checkouts reach their end states with the operator's identity; a
 * second operator at phone width sees the decided orders leave; a customer cannot open it.
 * Screenshots go to e2e/.artifacts/browser/.
 */
describe('browser: the operator console', () => {
  let stack: CheckoutStack;
  let browser: Browser;
  let gateway: string;
  let call: ReturnType<typeof apiClient>;
  let shopper: Shopper;
  let adminToken: string;

  beforeAll(async () => {
    stack = await startCheckoutStack({ reviewThreshold: REVIEW_THRESHOLD });
    gateway = stack.apps.gateway.url;
    call = apiClient(stack.api);
    const login = await call<Tokens>('POST', '/auth/login', { body: stack.superAdmin });
    adminToken = login.body.accessToken;
    shopper = await registerShopper(call);
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  /** A large order from the shopper, waiting for review. */
  async function largeOrder(price: number): Promise<string> {
    const product = await stockedProduct(call, adminToken, { price, onHand: 5 });
    const added = await call('POST', '/cart/items', {
      token: shopper.token,
      body: { productId: product.id, quantity: 1 },
    });
    expect(added.status).toBeLessThan(300);
    const placed = await checkout(call, shopper, randomUUID());
    expect(placed.status).toBe(202);
    await waitForOrder(
      call,
      shopper.token,
      placed.body.orderId,
      (order) => order.status === 'AWAITING_APPROVAL',
    );
    return placed.body.orderId;
  }

  async function signIn(context: BrowserContext, email: string, password: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${gateway}/admin`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    return page;
  }

  it('lets an operator approve one order and reject another; both reach their end states', async () => {
    const toApprove = await largeOrder(REVIEW_THRESHOLD + 1_000);
    const toReject = await largeOrder(REVIEW_THRESHOLD + 2_000);
    const { email, password } = stack.superAdmin;

    const laptop = await browser.newContext({ viewport: LAPTOP });
    const page = await signIn(laptop, email, password);
    await page.getByRole('heading', { name: 'Review queue' }).waitFor();
    const approveCard = page.locator(`[data-order-id="${toApprove}"]`);
    const rejectCard = page.locator(`[data-order-id="${toReject}"]`);
    await approveCard.waitFor();
    await rejectCard.waitFor();
    // Oldest first.
    const cards = await page.getByTestId('review-order').all();
    const ids = await Promise.all(cards.map((card) => card.getAttribute('data-order-id')));
    expect(ids.indexOf(toApprove)).toBeLessThan(ids.indexOf(toReject));
    await expect(approveCard.textContent()).resolves.toContain(shopper.email);
    await expect(approveCard.textContent()).resolves.toMatch(/Time left\d+ min/);
    // No token is within reach of the page's scripts: only the CSRF cookie is readable.
    const scriptCookies = await page.evaluate(pageCookies);
    expect(scriptCookies).toMatch(/^commerce_console_csrf=[^;]+$/);
    await page.screenshot({ path: screenshotPath('review-queue'), fullPage: true });

    // A second operator, on a phone.
    const phone = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    const second = await signIn(phone, email, password);
    const secondView = second.locator(`[data-order-id="${toApprove}"]`);
    await secondView.waitFor();
    await second.screenshot({ path: screenshotPath('review-queue-phone'), fullPage: true });

    await approveCard.getByRole('button', { name: 'Approve' }).click();
    const approved = page.getByTestId('decision-outcome').filter({ hasText: 'approved' });
    await approved.waitFor();
    // The workflow's own answer, with the operator the cookie session stood for.
    await expect(approved.textContent()).resolves.toContain(`approved by ${email}`);
    await approveCard.waitFor({ state: 'detached' });
    await page.screenshot({ path: screenshotPath('review-approved'), fullPage: true });

    await rejectCard.getByLabel(/Reason for rejecting/).fill('address does not match the card');
    await rejectCard.getByRole('button', { name: 'Reject' }).click();
    await page.getByTestId('decision-outcome').filter({ hasText: 'rejected' }).waitFor();
    await rejectCard.waitFor({ state: 'detached' });

    // The second operator's queue drops both without a reload.
    await secondView.waitFor({ state: 'detached' });
    await second.locator(`[data-order-id="${toReject}"]`).waitFor({ state: 'detached' });

    const done = await waitForOrder(call, shopper.token, toApprove);
    expect(done.status).toBe('COMPLETED');
    const failed = await waitForOrder(call, shopper.token, toReject);
    expect(failed.status).toBe('FAILED');
    expect(failed.failureReason).toBe(`rejected by ${email}: address does not match the card`);

    // A decision the workflow cannot take any more is refused with its reason.
    const again = await page.evaluate(async (id) => {
      const cookies = (globalThis as unknown as { document: { cookie: string } }).document.cookie;
      const csrf = /commerce_console_csrf=([^;]+)/.exec(cookies)?.[1] ?? '';
      const res = await fetch(`/api/admin/orders/${id}/approve`, {
        method: 'POST',
        headers: { 'x-csrf-token': csrf },
      });
      return { status: res.status, body: (await res.json()) as { code: string } };
    }, toReject);
    expect(again).toMatchObject({ status: 409, body: { code: 'ORDER_NOT_AWAITING_APPROVAL' } });
    await laptop.close();
    await phone.close();
  });

  it('follows a campaign to 100 % and shows the orders just placed in analytics', async () => {
    const context = await browser.newContext({ viewport: LAPTOP });
    const page = await signIn(context, stack.superAdmin.email, stack.superAdmin.password);
    await page.getByRole('link', { name: 'Campaigns' }).click();
    const subject = `Console news ${randomUUID().slice(0, 6)}`;
    await page.getByLabel('Subject').fill(subject);
    await page.getByLabel('Audience').selectOption('CUSTOMER');
    await page.getByRole('button', { name: 'Create and send' }).click();
    const card = page.locator('[data-campaign-id]').filter({ hasText: subject });
    await card.getByTestId('campaign-status').filter({ hasText: 'COMPLETED' }).waitFor();
    await expect(card.getByTestId('campaign-progress').textContent()).resolves.toBe('100 %');
    await page.screenshot({ path: screenshotPath('campaigns'), fullPage: true });

    // The analytics processor counts the orders of the first test (one completed, one failed).
    await page.getByRole('link', { name: 'Analytics' }).click();
    const total = page.getByTestId('orders-total');
    await total.waitFor();
    for (;;) {
      const text = (await total.textContent()) ?? '';
      if (Number(/^(\d+)/.exec(text)?.[1] ?? 0) >= 2) break;
      await page.waitForTimeout(1000);
      await page.reload();
      await total.waitFor();
    }
    await page.screenshot({ path: screenshotPath('analytics'), fullPage: true });
    await context.close();
  });

  it('does not open for a customer, by password or with their token in the cookie', async () => {
    const context = await browser.newContext({ viewport: LAPTOP });
    const page = await signIn(context, shopper.email, 'correct horse battery staple');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain('cannot open the console');
    await page.screenshot({ path: screenshotPath('customer-refused') });
    expect((await context.cookies()).map((cookie) => cookie.name)).not.toContain(
      'commerce_console',
    );

    // The customer's own token planted as the session cookie: the console stays closed.
    await context.addCookies([
      {
        name: 'commerce_console',
        value: `planted.${shopper.token}`,
        url: gateway,
        httpOnly: true,
        sameSite: 'Strict',
      },
      { name: 'commerce_console_csrf', value: 'planted', url: gateway, sameSite: 'Strict' },
    ]);
    await page.goto(`${gateway}/admin`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const status = await page.evaluate(async () => (await fetch('/api/admin/orders')).status);
    expect(status).toBe(403);
    await context.close();
  });

  it('builds its API client from the document this stack serves (committed types are current)', () => {
    const result = spawnSync('node', ['admin/scripts/generate-api.mjs', '--check'], {
      cwd: REPO_ROOT,
      env: { ...process.env, GATEWAY_URL: gateway },
      encoding: 'utf8',
    });
    expect(`${result.stdout}${result.stderr}`).toContain('matches');
    expect(result.status).toBe(0);
  });
});
