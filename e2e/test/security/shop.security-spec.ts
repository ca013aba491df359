import { REPO_ROOT } from '@commerce/testing';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AddressedCall,
  type CheckoutStack,
  type OpenApiDoc,
  type Shopper,
  type Tokens,
  apiClient,
  checkout,
  clientFrom,
  closeClients,
  hostileRequests,
  registerShopper,
  startCheckoutStack,
  stockedProduct,
  waitForOrder,
} from '../../src';

const STACK_TRACE = /\bat .+\.(js|ts):\d+|node_modules|\/work\//;
const SERVICE_TOKEN_TTL_SECONDS = 30;

/**
 * The whole shop, every app its own process, with the production limits of the gateway and the
 * auth service; service tokens live 30 s so the activities must renew theirs during the test.
 * Each simulated client has its own loopback address.
 */
describe('security: the whole shop under attack', () => {
  let stack: CheckoutStack;
  let seq = 40;
  const from = (): AddressedCall => clientFrom(stack.api, `127.0.1.${(seq += 1)}`);
  let admin: string;
  let product: { id: string; price: number };

  beforeAll(async () => {
    stack = await startCheckoutStack({
      env: {
        auth: {
          SERVICE_TOKEN_TTL_SECONDS: String(SERVICE_TOKEN_TTL_SECONDS),
          // The production defaults (the e2e stack raises them for its race tests).
          LOGIN_MAX_FAILURES_PER_IP: '100',
        },
        gateway: {
          RATE_LIMIT_ADDRESS_LIMIT: '1200',
          RATE_LIMIT_DEFAULT_LIMIT: '600',
          RATE_LIMIT_AUTH_LIMIT: '20',
        },
      },
    });
    const root = from();
    admin = (await root<Tokens>('POST', '/auth/login', { body: stack.superAdmin })).body
      .accessToken;
    product = await stockedProduct(apiClient(stack.api), admin, { price: 1500, onHand: 1000 });
  });
  afterAll(async () => {
    await closeClients();
    await stack?.stop();
  });

  const shopper = (): Promise<Shopper> => registerShopper(from());

  async function buy(customer: Shopper, call: AddressedCall = from()): Promise<string> {
    const added = await call('POST', '/cart/items', {
      token: customer.token,
      body: { productId: product.id, quantity: 1 },
    });
    expect(added.status).toBeLessThan(300);
    const res = await checkout(call, customer, randomUUID());
    expect(res.status).toBe(202);
    return res.body.orderId;
  }

  it("survives a stranger's wrong client secrets: the next checkout completes after the service token is renewed", async () => {
    const customer = await shopper();
    const started = Date.now();
    const first = await buy(customer);
    expect((await waitForOrder(from(), customer.token, first)).status).toBe('COMPLETED');

    // Through the gateway the grant does not even exist.
    const stranger = from();
    const hidden = await stranger('POST', '/auth/token', {
      body: { clientId: 'activities', clientSecret: 'guess-guess-guess' },
    });
    expect(hidden.status).toBe(404);
    // Straight at the auth service (an attacker inside the network): the guesser's address is
    // throttled, the account is not.
    const direct = clientFrom(stack.apps.auth.url, '127.0.2.9');
    const statuses = new Set<number>();
    for (let i = 0; i < 110; i += 1) {
      const res = await direct('POST', '/auth/token', {
        body: { clientId: 'activities', clientSecret: `wrong-secret-${i}-${randomUUID()}` },
      });
      statuses.add(res.status);
    }
    expect([...statuses].sort()).toEqual([401, 429]);
    // The real caller still gets its token.
    await expect(stack.serviceToken()).resolves.toEqual(expect.any(String));

    // Past the lifetime of the activities' token: the next checkout needs a renewed one.
    await sleep(Math.max(0, started + SERVICE_TOKEN_TTL_SECONDS * 1000 + 1000 - Date.now()));
    const second = await buy(customer);
    expect((await waitForOrder(from(), customer.token, second)).status).toBe('COMPLETED');
  });

  it('passes redocly lint (recommended rules) on the merged OpenAPI document', async () => {
    const raw = await fetch(`${stack.apps.gateway.url}/docs-json?refresh=true`);
    expect(raw.status).toBe(200);
    const file = join(tmpdir(), `commerce-openapi-${process.pid}.json`);
    writeFileSync(file, await raw.text());
    const lint = spawnSync(
      join(REPO_ROOT, 'node_modules', '.bin', 'redocly'),
      ['lint', file, '--extends=recommended', '--format=stylish'],
      { encoding: 'utf8', timeout: 60_000 },
    );
    // The whole report when it fails: which rule, which operation.
    expect(lint.status === 0 ? 'clean' : lint.stdout + lint.stderr).toBe('clean');
  });

  describe('OWASP API Security Top 10 (2023)', () => {
    it('API1 broken object level authorization: a customer cannot read or act on another customer’s order', async () => {
      const alice = await shopper();
      const bob = await shopper();
      const order = await buy(alice);
      const call = from();
      for (const [method, path] of [
        ['GET', `/orders/${order}`],
        ['POST', `/orders/${order}/cancel`],
        ['GET', `/invoices/${order}`],
      ] as const) {
        const res = await call(method, path, { token: bob.token });
        expect({ method, path, status: res.status }).toEqual({
          method,
          path,
          status: expect.any(Number),
        });
        expect([403, 404]).toContain(res.status);
      }
      const payments = await call<{ items: unknown[] }>('GET', `/payments?orderId=${order}`, {
        token: bob.token,
      });
      if (payments.status === 200) expect(payments.body.items).toEqual([]);
      else expect([403, 404]).toContain(payments.status);
      await waitForOrder(from(), alice.token, order);
    });

    it('API2 broken authentication: forged, unsigned and garbage tokens are refused', async () => {
      const call = from();
      const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(
        JSON.stringify({ sub: randomUUID(), roles: ['SUPER_ADMIN'], exp: 9999999999 }),
      ).toString('base64url')}.`;
      for (const token of [unsigned, 'garbage', `${admin}x`]) {
        const res = await call('GET', '/admin/users', { token });
        expect(res.status).toBe(401);
      }
      expect((await call('GET', '/admin/users')).status).toBe(401);
    });

    it('API3 broken object property level authorization: no mass assignment, no secret fields', async () => {
      const call = from();
      const email = `mass-${randomUUID()}@example.test`;
      const res = await call<{ message: string }>('POST', '/auth/register', {
        body: {
          email,
          password: 'correct horse battery staple',
          name: 'Mal',
          roles: ['SUPER_ADMIN'],
        },
      });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toMatch(/roles/);
      const customer = await shopper();
      const me = await call('GET', '/auth/me', { token: customer.token });
      expect(Object.keys(me.body).sort()).toEqual(['email', 'id', 'name', 'roles']);
      const priced = await call('POST', '/cart/items', {
        token: customer.token,
        body: { productId: product.id, quantity: 1, unitPrice: 1 },
      });
      expect(priced.status).toBe(400);
    });

    it('API4 unrestricted resource consumption: page sizes, body sizes and floods are bounded', async () => {
      const call = from();
      expect((await call('GET', '/products?limit=1000000')).status).toBe(400);
      const big = await call('POST', '/auth/register', {
        rawBody: JSON.stringify({ email: 'a@b.c', password: 'x', name: 'y'.repeat(2_000_000) }),
        headers: { 'content-type': 'application/json' },
      });
      expect(big.status).toBe(413);
    });

    it('API5 broken function level authorization: customers and admins stay within their roles', async () => {
      const customer = await shopper();
      const call = from();
      for (const [method, path, body] of [
        ['POST', '/products', { sku: 'X', name: 'x', description: 'x', price: 1, currency: 'EUR' }],
        ['GET', '/admin/users', undefined],
        ['POST', '/admin/campaigns', { subject: 's', template: 't', audience: { all: true } }],
        ['GET', '/admin/analytics/summary', undefined],
        ['GET', `/admin/notifications?userId=${customer.id}`, undefined],
        ['GET', '/admin/checkouts/failed', undefined],
        ['PUT', `/inventory/${product.id}`, { onHand: 0 }],
      ] as const) {
        const res = await call(method, path, { token: customer.token, body });
        expect({ method, path, status: res.status }).toEqual({ method, path, status: 403 });
      }
      // An ADMIN (not SUPER_ADMIN) cannot make anyone an ADMIN, itself included.
      const promoted = await shopper();
      expect(
        (
          await call('POST', `/admin/users/${promoted.id}/roles`, {
            token: admin,
            body: { role: 'ADMIN' },
          })
        ).status,
      ).toBe(200);
      const adminToken = (
        await call<Tokens>('POST', '/auth/login', {
          body: { email: promoted.email, password: 'correct horse battery staple' },
        })
      ).body.accessToken;
      const escalate = await call('POST', `/admin/users/${customer.id}/roles`, {
        token: adminToken,
        body: { role: 'ADMIN' },
      });
      expect(escalate.status).toBe(403);
    });

    it('API6 unrestricted access to sensitive business flows: one order per Idempotency-Key, sign-ups limited per address', async () => {
      const customer = await shopper();
      const call = from();
      await call('POST', '/cart/items', {
        token: customer.token,
        body: { productId: product.id, quantity: 1 },
      });
      const key = randomUUID();
      const results = await Promise.all([1, 2, 3].map(() => checkout(call, customer, key)));
      const ids = new Set(results.map((r) => r.body.orderId));
      expect(ids.size).toBe(1);
      await waitForOrder(from(), customer.token, [...ids][0]!);
      // Mass sign-up from one address: the gateway's sign-in/sign-up limit answers 429.
      const bot = from();
      let limited = false;
      for (let i = 0; i < 25 && !limited; i += 1) {
        const res = await bot('POST', '/auth/register', {
          body: {
            email: `bot-${randomUUID()}@example.test`,
            password: 'correct horse battery staple',
            name: 'Bot',
          },
        });
        limited = res.status === 429;
      }
      expect(limited).toBe(true);
    });
  });

  it('answers hostile input generated from the OpenAPI document with a 4xx in the error shape, writing nothing', async () => {
    const doc = (await (
      await fetch(`${stack.apps.gateway.url}/docs-json?refresh=true`)
    ).json()) as OpenApiDoc;
    const snapshot = async () => {
      const call = from();
      const products = await call<{ total: number }>('GET', '/products?limit=1', { token: admin });
      const users = await call<{ total: number }>('GET', '/admin/users?limit=1', { token: admin });
      const categories = await call<unknown[] | { items: unknown[] }>('GET', '/categories');
      const cats = Array.isArray(categories.body) ? categories.body : categories.body.items;
      return { products: products.body.total, users: users.body.total, categories: cats.length };
    };
    const before = await snapshot();
    const operations = hostileRequests(doc, '/api/');
    expect(operations.length).toBeGreaterThan(30);
    let tried = 0;
    const skipped: string[] = [];
    const failures: string[] = [];
    const clients = Array.from({ length: 8 }, (_, i) =>
      clientFrom(stack.apps.gateway.url, `127.0.3.${i + 1}`),
    );
    for (const { operation, arbitrary } of operations) {
      if (!arbitrary) {
        skipped.push(operation);
        continue;
      }
      await fc.assert(
        fc.asyncProperty(arbitrary, async (req) => {
          const call = clients[tried % clients.length]!;
          tried += 1;
          const token = req.token === 'valid' ? admin : req.token.garbage;
          const res = await call(req.method, req.path, {
            token,
            ...(req.body !== undefined ? { body: req.body } : {}),
            ...(req.rawBody !== undefined
              ? { rawBody: req.rawBody, headers: { 'content-type': 'application/json' } }
              : {}),
            timeoutMs: 10_000,
          });
          const body = res.body as Record<string, unknown> | undefined;
          const ok =
            res.status >= 400 &&
            res.status < 500 &&
            typeof body === 'object' &&
            body !== null &&
            body.statusCode === res.status &&
            typeof body.code === 'string' &&
            typeof body.message === 'string' &&
            typeof body.requestId === 'string' &&
            !STACK_TRACE.test(res.text);
          if (!ok) {
            failures.push(
              `${operation} [${req.defect}] ${req.method} ${req.path.slice(0, 120)} -> ${res.status} ${res.text.slice(0, 200)}`,
            );
          }
          return true;
        }),
        { numRuns: 10, seed: 12 },
      );
    }
    process.stdout.write(
      `OpenAPI fuzz: ${tried} hostile requests over ${operations.length - skipped.length} operations` +
        ` (no input to corrupt: ${skipped.join(', ') || 'none'})\n`,
    );
    expect(failures).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });
});
