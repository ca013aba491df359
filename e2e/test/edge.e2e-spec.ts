import { apiClient, clientFrom, closeClients, startAuthStack, type AuthStack } from '../src';

/** The gateway's protections, against the real auth service as a separate process. */
describe('gateway protections', () => {
  describe('rate limits shared by two gateway instances', () => {
    let stack: AuthStack;
    const limit = 8;
    beforeAll(async () => {
      stack = await startAuthStack({
        gateways: 2,
        gatewayEnv: { RATE_LIMIT_ADDRESS_LIMIT: String(limit), RATE_LIMIT_ADDRESS_TTL_MS: '60000' },
      });
    });
    afterAll(async () => {
      await closeClients();
      await stack?.stop();
    });

    it('counts requests across both instances and answers 429 with Retry-After past the limit', async () => {
      // One client address of its own: the start-up probes from 127.0.0.1 do not count against it.
      const [a, b] = stack.gateways.map((g) => clientFrom(`${g.url}/api`, '127.0.0.77'));
      const statuses: number[] = [];
      for (let i = 0; i < limit; i++) {
        const res = await (i % 2 === 0 ? a! : b!)('GET', '/auth/.well-known/jwks.json');
        statuses.push(res.status);
      }
      expect(statuses).toEqual(Array(limit).fill(200));

      for (const client of [a!, b!]) {
        const limited = await client('GET', '/auth/.well-known/jwks.json');
        expect(limited.status).toBe(429);
        expect(limited.body).toMatchObject({ statusCode: 429, code: 'TOO_MANY_REQUESTS' });
        expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    });
  });

  describe('circuit breaker around an upstream that is killed', () => {
    let stack: AuthStack;
    beforeAll(async () => {
      stack = await startAuthStack({
        gatewayEnv: {
          CIRCUIT_VOLUME_THRESHOLD: '3',
          CIRCUIT_ERROR_PERCENT: '50',
          CIRCUIT_RESET_MS: '1500',
          UPSTREAM_TIMEOUT_MS: '2000',
        },
      });
    });
    afterAll(() => stack?.stop());

    it('answers 503 while the upstream is down and recovers once it is back', async () => {
      const call = apiClient(stack.api);
      expect((await call('GET', '/auth/.well-known/jwks.json')).status).toBe(200);

      await stack.auth.stop('SIGKILL');
      const down: { status: number; code: unknown }[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await call<{ code: string }>('GET', '/auth/.well-known/jwks.json');
        down.push({ status: res.status, code: res.body?.code });
      }
      for (const r of down) {
        expect([502, 503]).toContain(r.status);
        expect(r.code).toBe('UPSTREAM_UNAVAILABLE');
      }
      // Once open, the breaker answers for the upstream itself.
      expect(down.at(-1)).toEqual({ status: 503, code: 'UPSTREAM_UNAVAILABLE' });
      const health = await fetch(`${stack.gateways[0]!.url}/health`);
      expect(health.status).toBe(503);

      await stack.auth.start();
      // Half-open after the reset timeout: the first trial succeeds and closes the breaker.
      const deadline = Date.now() + 15_000;
      let status = 0;
      while (Date.now() < deadline) {
        status = (await call('GET', '/auth/.well-known/jwks.json')).status;
        if (status === 200) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(status).toBe(200);
      expect((await fetch(`${stack.gateways[0]!.url}/health`)).status).toBe(200);
    });
  });
});
