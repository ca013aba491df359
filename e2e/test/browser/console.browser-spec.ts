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
  let adminId: string;
  /** The first test's orders: one approved (COMPLETED), one rejected (FAILED). */
  const decided = { approved: '', rejected: '' };

  beforeAll(async () => {
    stack = await startCheckoutStack({ reviewThreshold: REVIEW_THRESHOLD });
    gateway = stack.apps.gateway.url;
    call = apiClient(stack.api);
    const login = await call<Tokens>('POST', '/auth/login', { body: stack.superAdmin });
    adminToken = login.body.accessToken;
    adminId = (await call<{ id: string }>('GET', '/auth/me', { token: adminToken })).body.id;
    shopper = await registerShopper(call);
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  /** A large order from the shopper (or `buyer`), waiting for review. */
  async function largeOrder(
    price: number,
    {
      buyer = shopper,
      productId,
      quantity = 1,
    }: { buyer?: Shopper; productId?: string; quantity?: number } = {},
  ): Promise<string> {
    const product = productId ?? (await stockedProduct(call, adminToken, { price, onHand: 5 })).id;
    const added = await call('POST', '/cart/items', {
      token: buyer.token,
      body: { productId: product, quantity },
    });
    expect(added.status).toBeLessThan(300);
    const placed = await checkout(call, buyer, randomUUID());
    expect(placed.status).toBe(202);
    await waitForOrder(
      call,
      buyer.token,
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
    // Each decision is recorded with the operator's id (the email is only for people to read).
    expect(done.timeline.find((row) => row.from === 'AWAITING_APPROVAL')?.actor).toBe(adminId);
    expect(failed.timeline.find((row) => row.to === 'FAILED')?.actor).toBe(adminId);
    decided.approved = toApprove;
    decided.rejected = toReject;

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

  it('finds orders, and shows an order’s timeline, notifications and workflow link', async () => {
    expect(decided.approved).not.toBe('');
    const context = await browser.newContext({ viewport: LAPTOP });
    const page = await signIn(context, stack.superAdmin.email, stack.superAdmin.password);
    await page.getByRole('link', { name: 'Orders' }).click();
    const search = page.getByRole('search');
    const results = page.locator('tbody');

    // By customer email: both of the first test's orders.
    await search.getByLabel('Order id or customer email').fill(shopper.email);
    await search.getByRole('button', { name: 'Search' }).click();
    await results.locator(`[data-order-id="${decided.approved}"]`).waitFor();
    await results.locator(`[data-order-id="${decided.rejected}"]`).waitFor();
    await page.screenshot({ path: screenshotPath('orders'), fullPage: true });
    // By email and status: only the rejected one.
    await search.getByLabel('Status').selectOption('FAILED');
    await search.getByRole('button', { name: 'Search' }).click();
    await results.locator(`[data-order-id="${decided.approved}"]`).waitFor({ state: 'detached' });
    await results.locator(`[data-order-id="${decided.rejected}"]`).waitFor();
    // By id: that order alone.
    await search.getByLabel('Status').selectOption('');
    await search.getByLabel('Order id or customer email').fill(decided.approved);
    await search.getByRole('button', { name: 'Search' }).click();
    await results.locator(`[data-order-id="${decided.rejected}"]`).waitFor({ state: 'detached' });
    const row = results.locator(`[data-order-id="${decided.approved}"]`);
    await expect(row.textContent()).resolves.toContain('COMPLETED');

    await row.getByRole('link').click();
    await page.getByRole('heading', { name: `Order ${decided.approved}` }).waitFor();
    await expect(page.getByTestId('order-status').textContent()).resolves.toBe('COMPLETED');
    // The stored history, with the approving operator's id on the move out of review.
    const timeline = page.getByRole('list', { name: 'Timeline, oldest first' });
    await timeline.getByText('AWAITING_APPROVAL → CHARGING').waitFor();
    await expect(timeline.textContent()).resolves.toContain(adminId);
    await expect(timeline.textContent()).resolves.toContain('CONFIRMING → COMPLETED');
    // The confirmation the customer was sent, once the email went out.
    const notifications = page.getByTestId('order-notifications');
    await notifications
      .locator('tr')
      .filter({ hasText: 'order-confirmed' })
      .filter({ hasText: 'SENT' })
      .waitFor({ timeout: 60_000 });
    await expect(notifications.textContent()).resolves.toContain(`email: ${shopper.email}`);
    await expect(
      page
        .getByRole('link', { name: 'The checkout workflow in the Temporal UI' })
        .getAttribute('href'),
    ).resolves.toBe(
      `http://127.0.0.1:8233/namespaces/default/workflows/checkout-${decided.approved}`,
    );
    await page.screenshot({ path: screenshotPath('order'), fullPage: true });

    // The rejected order's page says why, and that the customer was told.
    await page.goto(`${gateway}/admin#/orders/${decided.rejected}`);
    await page.getByTestId('order-status').filter({ hasText: 'FAILED' }).waitFor();
    await page
      .getByTestId('order-notifications')
      .locator('tr')
      .filter({ hasText: 'order-failed' })
      .waitFor({ timeout: 60_000 });
    await context.close();
  });

  it('lists failed checkouts by reason, and the ones whose compensation failed', async () => {
    expect(decided.rejected).not.toBe('');
    // A compensation that fails for real: the stock of an order in review is committed (as if
    // sold) behind the checkout's back, so releasing it on rejection is refused for good.
    const stuck = await largeOrder(REVIEW_THRESHOLD + 3_000);
    const committed = await fetch(
      `${stack.apps.products.url}/internal/inventory/reservations/${stuck}/commit`,
      { method: 'POST', headers: { authorization: `Bearer ${await stack.serviceToken()}` } },
    );
    expect(committed.status).toBe(200);
    const rejected = await call('POST', `/admin/orders/${stuck}/reject`, {
      token: adminToken,
      body: { reason: 'stock sold elsewhere' },
    });
    expect(rejected.status).toBe(202);
    const ended = await waitForOrder(call, shopper.token, stuck);
    expect(ended.status).toBe('FAILED');

    const context = await browser.newContext({ viewport: LAPTOP });
    const page = await signIn(context, stack.superAdmin.email, stack.superAdmin.password);
    await page.getByRole('link', { name: 'Failed checkouts' }).click();
    // The failed workflow, with the step that could not be undone (the list refreshes itself).
    const failedRun = page.getByTestId('failed-workflows').locator(`[data-order-id="${stuck}"]`);
    await failedRun.waitFor({ timeout: 60_000 });
    const text = (await failedRun.textContent()) ?? '';
    expect(text).toContain('CompensationFailed');
    expect(text).toContain('releaseInventory: ReservationCommitted');
    expect(text).toContain('FAILED');
    expect(text).toContain(shopper.email);
    // FAILED orders with their reasons, and what to do about each kind.
    const failedOrder = page.locator(`tbody [data-order-id="${decided.rejected}"]`).last();
    await expect(failedOrder.textContent()).resolves.toContain('address does not match the card');
    await page.getByRole('heading', { name: 'What to do' }).waitFor();
    await page.screenshot({ path: screenshotPath('failed-checkouts'), fullPage: true });
    await context.close();
  });

  it('edits a product’s price and stock, showing the units live checkouts hold', async () => {
    const created = await call<{ id: string; sku: string }>('POST', '/products', {
      token: adminToken,
      body: {
        sku: `CONSOLE-${randomUUID().slice(0, 8)}`,
        name: 'Console teapot',
        description: 'edited by the browser test',
        price: 30_000,
        currency: 'EUR',
      },
    });
    expect(created.status).toBe(201);
    const productId = created.body.id;
    expect(
      (await call('PUT', `/inventory/${productId}`, { token: adminToken, body: { onHand: 5 } }))
        .status,
    ).toBe(200);
    // Two units held by a checkout waiting in review (another customer's).
    await largeOrder(30_000, { buyer: await registerShopper(call), productId, quantity: 2 });

    const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    const page = await signIn(context, stack.superAdmin.email, stack.superAdmin.password);
    await page.getByRole('link', { name: 'Catalog' }).click();
    await page.getByLabel('Find a product').fill('teapot');
    await page.getByRole('search').getByRole('button', { name: 'Search' }).click();
    const card = page.locator(`[data-product-id="${productId}"]`);
    await card.getByText('5 on hand, 2 reserved by checkouts, 3 available').waitFor();

    await card.getByLabel('Price (minor units)').fill('31500');
    await card.getByLabel('On hand').fill('9');
    await card.getByRole('button', { name: 'Save' }).click();
    await card.getByText('price saved; stock saved').waitFor();
    await card.getByText('9 on hand, 2 reserved by checkouts, 7 available').waitFor();
    await page.screenshot({ path: screenshotPath('catalog-phone'), fullPage: true });
    const product = await call<{ price: number }>('GET', `/products/${productId}`);
    expect(product.body.price).toBe(31_500);
    const stock = await call('GET', `/inventory/${productId}`, { token: adminToken });
    expect(stock.body).toMatchObject({ onHand: 9, reserved: 2, available: 7 });
    await context.close();
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
