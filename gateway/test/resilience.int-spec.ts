import { TestTokenIssuer, eventually } from '@commerce/testing';
import { ChildUpstream, freePort } from './support/child-upstream';
import { type RunningGateway, errorShape, scrapeMetrics, startGateway } from './support/gateway';
import { StandInUpstream, json } from './support/stand-in-upstream';

async function circuitState(gateway: RunningGateway, upstream: string): Promise<number> {
  const text = await (await scrapeMetrics(gateway.url)).text();
  const match = new RegExp(
    `gateway_circuit_state\\{upstream="${upstream}",service="gateway"\\} (\\d)`,
  ).exec(text);
  if (!match) throw new Error(`no circuit state for ${upstream} in /metrics`);
  return Number(match[1]);
}
const CLOSED = 0;
const OPEN = 2;

describe('circuit breaker and health with failing upstreams', () => {
  let key: TestTokenIssuer;
  let token: string;
  let auth: StandInUpstream;

  beforeAll(async () => {
    key = new TestTokenIssuer();
    token = key.token();
    auth = await new StandInUpstream()
      .on('GET', '/auth/.well-known/jwks.json', (_req, res) => json(res, 200, { keys: [key.jwk] }))
      .start();
  });

  afterAll(async () => {
    await auth?.stop();
  });

  const get = (gateway: RunningGateway, path: string) =>
    fetch(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

  /** A gateway in front of `ordersUrl` whose circuit opens after 3 calls at 50 % errors. */
  const circuitGateway = (ordersUrl: string, resetMs: string) =>
    startGateway({
      UPSTREAMS: 'auth,orders',
      AUTH_URL: auth.url,
      ORDERS_URL: ordersUrl,
      CIRCUIT_VOLUME_THRESHOLD: '3',
      CIRCUIT_ERROR_PERCENT: '50',
      CIRCUIT_WINDOW_MS: '60000',
      CIRCUIT_RESET_MS: resetMs,
      RATE_LIMIT_DEFAULT_LIMIT: '10000',
      RATE_LIMIT_ADDRESS_LIMIT: '10000',
    });

  describe('an upstream process killed with SIGKILL', () => {
    let orders: ChildUpstream;
    let gateway: RunningGateway;

    beforeAll(async () => {
      orders = new ChildUpstream(await freePort());
      await orders.start();
      gateway = await circuitGateway(orders.url, '4000');
    });

    afterAll(async () => {
      await gateway?.close();
      await orders?.kill();
    });

    it('opens the circuit, answers 503 without calling the upstream, and closes once it is back', async () => {
      for (let i = 0; i < 2; i += 1) expect((await get(gateway, '/api/orders/1')).status).toBe(200);
      expect(await circuitState(gateway, 'orders')).toBe(CLOSED);

      await orders.kill();
      // Connection refused (or, on a kept-alive connection the kill cut, reset), counted as
      // failures until the error rate crosses 50 % (3 of 5).
      const refused: number[] = [];
      let answer: { code: string; message: string } | undefined;
      for (let i = 0; i < 10; i += 1) {
        const res = await get(gateway, '/api/orders/1');
        refused.push(res.status);
        answer = (await res.json()) as { code: string; message: string };
        if (answer.message.includes('circuit open')) break;
      }
      expect(refused.every((status) => status === 502 || status === 503)).toBe(true);
      expect(refused.length).toBe(4);
      expect(answer).toMatchObject({ ...errorShape, code: 'UPSTREAM_UNAVAILABLE' });
      expect(await circuitState(gateway, 'orders')).toBe(OPEN);

      // While open, even a live upstream on that port is not called: a process of our own takes
      // the port at once and counts what reaches it.
      const witness = await new StandInUpstream().start(orders.port);
      try {
        for (let i = 0; i < 5; i += 1) {
          const res = await get(gateway, '/api/orders/1');
          expect(res.status).toBe(503);
          expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
          expect(await res.json()).toMatchObject({
            ...errorShape,
            statusCode: 503,
            code: 'UPSTREAM_UNAVAILABLE',
            message: 'The orders service is failing; requests are paused (circuit open)',
          });
        }
        expect(witness.calls).toHaveLength(0);
      } finally {
        await witness.stop();
      }

      // The service comes back; after CIRCUIT_RESET_MS one trial call goes through and closes it.
      await orders.start();
      await eventually(
        'the orders service to answer through the gateway',
        async () => (await get(gateway, '/api/orders/1')).status === 200,
        20_000,
        200,
      );
      expect(await circuitState(gateway, 'orders')).toBe(CLOSED);
      expect((await get(gateway, '/api/orders/2')).status).toBe(200);
      expect(await orders.hits()).toBeGreaterThanOrEqual(2);
    });

    it('reports the dead upstream as down in /health (503) and recovers', async () => {
      const up = await fetch(`${gateway.url}/health`);
      expect(up.status).toBe(200);
      expect(await up.json()).toMatchObject({
        status: 'ok',
        info: { redis: { status: 'up' }, auth: { status: 'up' }, orders: { status: 'up' } },
      });

      await orders.kill();
      const down = await fetch(`${gateway.url}/health`);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({
        status: 'error',
        info: { redis: { status: 'up' }, auth: { status: 'up' } },
        error: { orders: { status: 'down' } },
      });
      // Liveness never consults the upstreams.
      expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);

      await orders.start();
      const recovered = await fetch(`${gateway.url}/health`);
      expect(recovered.status).toBe(200);
      expect(await recovered.json()).toMatchObject({ info: { orders: { status: 'up' } } });
    });
  });

  describe('what counts as a failure', () => {
    let mode = 404;
    let orders: StandInUpstream;
    let gateway: RunningGateway;

    beforeAll(async () => {
      orders = await new StandInUpstream()
        .on('GET', /^\/orders\//, (req, res) =>
          json(res, mode, {
            statusCode: mode,
            error: 'x',
            message: `status ${mode}`,
            code: 'X',
            requestId: req.headers['x-request-id'],
          }),
        )
        .start();
      gateway = await circuitGateway(orders.url, '60000');
    });

    afterAll(async () => {
      await gateway?.close();
      await orders?.stop();
    });

    it('keeps the circuit closed on 4xx and opens it on repeated 5xx', async () => {
      for (let i = 0; i < 10; i += 1) {
        const res = await get(gateway, `/api/orders/${i}`);
        expect(res.status).toBe(404);
        expect(await res.json()).toMatchObject({ message: 'status 404' });
      }
      expect(orders.calls).toHaveLength(10);
      expect(await circuitState(gateway, 'orders')).toBe(CLOSED);

      mode = 500;
      const statuses: number[] = [];
      for (let i = 0; i < 20 && (await circuitState(gateway, 'orders')) !== OPEN; i += 1) {
        const res = await get(gateway, `/api/orders/${i}`);
        statuses.push(res.status);
        // The upstream's own 500 body passes through while the circuit is closed.
        expect(await res.json()).toMatchObject({ message: 'status 500' });
      }
      expect(statuses.length).toBeGreaterThan(0);
      expect(await circuitState(gateway, 'orders')).toBe(OPEN);

      const calls = orders.calls.length;
      const rejected = await get(gateway, '/api/orders/1');
      expect(rejected.status).toBe(503);
      expect(await rejected.json()).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
      expect(orders.calls).toHaveLength(calls);
      // Other upstreams have breakers of their own.
      expect(await circuitState(gateway, 'auth')).toBe(CLOSED);
    });
  });
});
