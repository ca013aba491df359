import { ORDER_TRANSITIONS, type OrderStatus, type PaymentView } from '@commerce/contracts';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export const CLIENT_ID = 'activities';
export const CLIENT_SECRET = 'fake-services-secret-0123456789';

export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface Reply {
  status: number;
  body?: unknown;
  /** Answer this late (a slow service). */
  delayMs?: number;
}

type Route = (request: Received, params: string[]) => Reply;

/**
 * One real HTTP server (127.0.0.1, random port) imitating the auth service's client-credentials
 * endpoint and the internal endpoints the activities call, with the services' documented answers:
 * status codes, error bodies (DESIGN §5) and idempotent repeats. State is in memory, per instance.
 */
export class FakeServices {
  readonly received: Received[] = [];
  /** Tokens the services refuse (revoked, or signed with a rotated key). */
  readonly revoked = new Set<string>();
  private readonly issued: string[] = [];
  /** Canned answers for the next requests to a path, ahead of the imitation. */
  private readonly overrides: { method: string; path: string; reply: Reply }[] = [];

  /** Units available per product; unknown products are NOT_FOUND. */
  readonly stock = new Map<string, number>();
  readonly reservations = new Map<string, { status: 'RESERVED' | 'RELEASED' | 'COMMITTED' }>();
  readonly payments = new Map<string, PaymentView>();
  readonly refunds = new Map<string, { id: string; orderId: string; amount: number }>();
  readonly orders = new Map<string, OrderStatus>();
  readonly notifications = new Map<string, unknown>();
  /** Imitate an orders service that answers a repeated move with 409 instead of 200. */
  ordersAnswerRepeatsWith409 = false;

  private server = createServer((req, res) => this.handle(req, res));
  private readonly timers = new Set<NodeJS.Timeout>();
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The next request to `method path` gets `reply` instead of the imitation's answer. */
  answerNext(method: string, path: string, reply: Reply): void {
    this.overrides.push({ method, path, reply });
  }

  get tokenRequests(): number {
    return this.received.filter((r) => r.path === '/auth/token').length;
  }

  /** Requests to a path (exact), excluding token requests. */
  to(method: string, path: string): Received[] {
    return this.received.filter((r) => r.method === method && r.path === path);
  }

  private readonly routes: [string, RegExp, Route][] = [
    ['POST', /^\/auth\/token$/, (r) => this.token(r)],
    ['POST', /^\/internal\/inventory\/reservations$/, (r) => this.reserve(r)],
    [
      'POST',
      /^\/internal\/inventory\/reservations\/([^/]+)\/(release|commit)$/,
      (_r, [id, action]) =>
        this.moveReservation(id!, action === 'release' ? 'RELEASED' : 'COMMITTED'),
    ],
    ['POST', /^\/internal\/payments\/charges$/, (r) => this.charge(r)],
    ['GET', /^\/internal\/payments\/by-order\/([^/]+)$/, (_r, [id]) => this.paymentOf(id!)],
    ['POST', /^\/internal\/payments\/refunds$/, (r) => this.refund(r)],
    [
      'POST',
      /^\/internal\/orders\/([^/]+)\/(transition|confirm|fail|cancel)$/,
      (r, [id, action]) => this.moveOrder(r, id!, action!),
    ],
    ['POST', /^\/internal\/notifications$/, (r) => this.notify(r)],
  ];

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const request: Received = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: text ? (JSON.parse(text) as unknown) : undefined,
      };
      this.received.push(request);
      const reply = this.answer(request);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (res.destroyed) return;
        const headers: Record<string, string> = {
          'x-request-id': String(request.headers['x-request-id'] ?? 'none'),
        };
        if (reply.body !== undefined) headers['content-type'] = 'application/json';
        res.writeHead(reply.status, headers);
        res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
      }, reply.delayMs ?? 0);
      this.timers.add(timer);
    });
  }

  private answer(request: Received): Reply {
    const override = this.overrides.findIndex(
      (o) => o.method === request.method && o.path === request.path,
    );
    if (override !== -1) return this.overrides.splice(override, 1)[0]!.reply;
    if (request.path !== '/auth/token') {
      const token = String(request.headers.authorization ?? '').replace(/^Bearer /, '');
      if (!this.issued.includes(token) || this.revoked.has(token)) {
        return error(401, 'TOKEN_INVALID', 'Invalid access token');
      }
    }
    for (const [method, pattern, route] of this.routes) {
      const match = pattern.exec(request.path);
      if (match && method === request.method) return route(request, match.slice(1));
    }
    return error(404, 'NOT_FOUND', `Cannot ${request.method} ${request.path}`);
  }

  private token(request: Received): Reply {
    const { clientId, clientSecret } = request.body as Record<string, string>;
    if (clientId !== CLIENT_ID || clientSecret !== CLIENT_SECRET) {
      return error(401, 'INVALID_CREDENTIALS', 'Invalid client credentials');
    }
    const accessToken = `token-${this.issued.length + 1}`;
    this.issued.push(accessToken);
    return { status: 200, body: { accessToken, expiresIn: 900, tokenType: 'Bearer' } };
  }

  private reserve(request: Received): Reply {
    const { orderId, items } = request.body as {
      orderId: string;
      items: { productId: string; quantity: number }[];
    };
    const existing = this.reservations.get(orderId);
    if (existing) return { status: 200, body: { orderId, ...existing, items } };
    const short = items
      .filter((i) => (this.stock.get(i.productId) ?? 0) < i.quantity)
      .map((i) => ({
        productId: i.productId,
        requested: i.quantity,
        available: this.stock.get(i.productId) ?? 0,
        reason: this.stock.has(i.productId) ? 'INSUFFICIENT' : 'NOT_FOUND',
      }));
    if (short.length > 0) {
      return error(
        409,
        'OUT_OF_STOCK',
        `Not enough stock for: ${short.map((s) => s.productId).join(', ')}`,
        short,
      );
    }
    for (const i of items) this.stock.set(i.productId, this.stock.get(i.productId)! - i.quantity);
    this.reservations.set(orderId, { status: 'RESERVED' });
    return { status: 201, body: { orderId, status: 'RESERVED', items } };
  }

  private moveReservation(orderId: string, target: 'RELEASED' | 'COMMITTED'): Reply {
    const reservation = this.reservations.get(orderId);
    if (!reservation) {
      return error(404, 'RESERVATION_NOT_FOUND', `No reservation for order ${orderId}`);
    }
    if (reservation.status !== target && reservation.status !== 'RESERVED') {
      return error(
        409,
        `RESERVATION_${reservation.status}`,
        `The reservation of order ${orderId} is already ${reservation.status}`,
        [{ orderId, status: reservation.status }],
      );
    }
    reservation.status = target;
    return { status: 200, body: { orderId, status: target, items: [] } };
  }

  private charge(request: Received): Reply {
    const body = request.body as {
      orderId: string;
      customerId: string;
      amount: number;
      currency: string;
      paymentMethodId: string;
    };
    const existing = this.payments.get(body.orderId);
    if (existing) {
      if (existing.amount !== body.amount || existing.currency !== body.currency) {
        return error(409, 'CHARGE_MISMATCH', 'The order was charged with another amount');
      }
      return { status: 200, body: existing };
    }
    if (body.paymentMethodId === 'pm_provider_down') {
      return error(503, 'PAYMENT_PROVIDER_UNAVAILABLE', 'The payment provider is unavailable');
    }
    const declined = body.paymentMethodId === 'pm_card_chargeDeclined';
    const status = declined
      ? 'FAILED'
      : body.paymentMethodId === 'pm_card_threeDSecureRequired'
        ? 'REQUIRES_ACTION'
        : 'CAPTURED';
    const payment: PaymentView = {
      id: `pay-${this.payments.size + 1}`,
      orderId: body.orderId,
      customerId: body.customerId,
      status,
      amount: body.amount,
      currency: body.currency,
      provider: 'fake',
      providerPaymentId: null,
      refundedAmount: 0,
      failureCode: declined ? 'CARD_DECLINED' : null,
      failureMessage: declined ? 'Your card was declined.' : null,
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    };
    this.payments.set(body.orderId, payment);
    return { status: 201, body: payment };
  }

  private paymentOf(orderId: string): Reply {
    const payment = this.payments.get(orderId);
    if (!payment) return error(404, 'PAYMENT_NOT_FOUND', `No payment for order ${orderId}`);
    return { status: 200, body: payment };
  }

  private refund(request: Received): Reply {
    const { orderId, idempotencyKey } = request.body as { orderId: string; idempotencyKey: string };
    const repeat = this.refunds.get(idempotencyKey);
    if (repeat) return { status: 200, body: repeat };
    const payment = this.payments.get(orderId);
    if (!payment) return error(404, 'PAYMENT_NOT_FOUND', `No payment for order ${orderId}`);
    const captured = payment.status === 'CAPTURED' || payment.status === 'PARTIALLY_REFUNDED';
    const left = captured ? payment.amount - payment.refundedAmount : 0;
    if (left <= 0) {
      return error(409, 'REFUND_EXCEEDS_CAPTURED', 'Nothing captured is left to refund');
    }
    payment.refundedAmount += left;
    payment.status = 'REFUNDED';
    const refund = { id: `rf-${this.refunds.size + 1}`, orderId, amount: left };
    this.refunds.set(idempotencyKey, refund);
    return { status: 201, body: refund };
  }

  private moveOrder(request: Received, id: string, action: string): Reply {
    const current = this.orders.get(id);
    if (!current) return error(404, 'NOT_FOUND', `Order ${id} not found`);
    const body = (request.body ?? {}) as { to?: OrderStatus; reason?: string };
    const to: OrderStatus =
      action === 'transition'
        ? body.to!
        : action === 'confirm'
          ? 'COMPLETED'
          : action === 'fail'
            ? 'FAILED'
            : 'CANCELLED';
    if (current === to && !this.ordersAnswerRepeatsWith409) {
      return { status: 200, body: { id, status: current } };
    }
    if (current === to || !ORDER_TRANSITIONS[current].includes(to)) {
      return error(409, 'ILLEGAL_TRANSITION', `Order is ${current}; it cannot move to ${to}`, [
        { orderId: id, currentStatus: current, requestedStatus: to },
      ]);
    }
    this.orders.set(id, to);
    return { status: 200, body: { id, status: to } };
  }

  private notify(request: Received): Reply {
    const body = request.body as { to: string; idempotencyKey: string };
    if (!body.to.includes('@')) {
      return error(400, 'VALIDATION_FAILED', 'to must be an email address', [{ field: 'to' }]);
    }
    if (this.notifications.has(body.idempotencyKey)) return { status: 200, body: { id: 'n' } };
    this.notifications.set(body.idempotencyKey, body);
    return { status: 201, body: { id: 'n' } };
  }
}

export function error(statusCode: number, code: string, message: string, details?: unknown): Reply {
  return {
    status: statusCode,
    body: {
      statusCode,
      error: 'Error',
      message,
      code,
      ...(details === undefined ? {} : { details }),
      requestId: 'svc-request-id',
    },
  };
}
