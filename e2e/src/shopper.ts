import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiClient, type Tokens } from './auth-stack';

export type Call = ReturnType<typeof apiClient>;

export interface Shopper {
  id: string;
  email: string;
  /** Kept so a long test can sign in again when the access token nears its expiry. */
  password: string;
  token: string;
}

export interface OrderBody {
  id: string;
  status: string;
  total: number;
  currency: string;
  failureReason?: string;
  timeline: { from: string | null; to: string; reason: string | null; actor: string }[];
  checkout?: { status: string; step: string };
}

export const SHIPPING = {
  name: 'Ada Lovelace',
  line1: '12 St James Square',
  city: 'London',
  postalCode: 'SW1Y 4JH',
  country: 'GB',
};

const TERMINAL = ['COMPLETED', 'CANCELLED', 'FAILED'];

/** A newly registered customer, logged in through the gateway. */
export async function registerShopper(call: Call): Promise<Shopper> {
  const email = `shopper-${randomUUID()}@example.test`;
  const password = 'correct horse battery staple';
  const reg = await call('POST', '/auth/register', { body: { email, password, name: 'Shopper' } });
  if (reg.status !== 201) throw new Error(`register: ${reg.status} ${JSON.stringify(reg.body)}`);
  const login = await call<Tokens>('POST', '/auth/login', { body: { email, password } });
  const me = await call<{ id: string }>('GET', '/auth/me', { token: login.body.accessToken });
  return { id: me.body.id, email, password, token: login.body.accessToken };
}

/** A product with `onHand` units, created by an admin through the gateway. */
export async function stockedProduct(
  call: Call,
  adminToken: string,
  { price, onHand }: { price: number; onHand: number },
): Promise<{ id: string; price: number }> {
  const created = await call<{ id: string }>('POST', '/products', {
    token: adminToken,
    body: {
      sku: `E2E-${randomUUID().slice(0, 8)}`,
      name: `E2E product ${randomUUID().slice(0, 4)}`,
      description: 'made by a checkout test',
      price,
      currency: 'EUR',
    },
  });
  if (created.status !== 201) throw new Error(`create product: ${created.status}`);
  const stock = await call('PUT', `/inventory/${created.body.id}`, {
    token: adminToken,
    body: { onHand },
  });
  if (stock.status !== 200) throw new Error(`set stock: ${stock.status}`);
  return { id: created.body.id, price };
}

export function checkout(
  call: Call,
  shopper: Shopper,
  key: string,
  paymentMethodId = 'pm_card_visa',
) {
  return call<{ orderId: string; status: string }>('POST', '/checkout', {
    token: shopper.token,
    headers: { 'idempotency-key': key },
    body: { paymentMethodId, shippingAddress: SHIPPING },
  });
}

/** Polls GET /orders/:id until `until` holds (default: a terminal status). */
export async function waitForOrder(
  call: Call,
  token: string,
  orderId: string,
  until: (order: OrderBody) => boolean = (order) => TERMINAL.includes(order.status),
  timeoutMs = 90_000,
): Promise<OrderBody> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call<OrderBody>('GET', `/orders/${orderId}`, { token });
    if (res.status === 200 && until(res.body)) return res.body;
    if (Date.now() > deadline) {
      throw new Error(`order ${orderId} is ${JSON.stringify(res.body)} after ${timeoutMs} ms`);
    }
    await sleep(200);
  }
}

export async function inventoryOf(
  call: Call,
  token: string,
  productId: string,
): Promise<{ onHand: number; reserved: number; available: number }> {
  const res = await call<{ onHand: number; reserved: number; available: number }>(
    'GET',
    `/inventory/${productId}`,
    { token },
  );
  return res.body;
}

/**
 * The product's inventory once nothing is reserved any more. An order is COMPLETED as soon as it
 * is confirmed; the checkout commits its reserved stock right after, in the same workflow, so a
 * read straight after COMPLETED may still see the reservation.
 */
export async function committedInventoryOf(
  call: Call,
  token: string,
  productId: string,
  timeoutMs = 30_000,
): Promise<{ onHand: number; reserved: number; available: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const inventory = await inventoryOf(call, token, productId);
    if (inventory.reserved === 0 || Date.now() > deadline) return inventory;
    await sleep(100);
  }
}
