import { type AuthUser, revokedJtiKey } from '@commerce/contracts';
import { Controller, Get, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp } from '../bootstrap/create-app';
import { listen } from '../bootstrap/listen';
import { testConfig } from '../testing/kit.test-helpers';
import { CurrentUser } from './auth.decorators';
import { type TestSigningKey, claims, generateSigningKey, signEs256 } from './auth.test-helpers';
import { KitAuthModule } from './kit-auth.module';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const COOLDOWN_MS = 300;

@Controller()
class MeController {
  @Get('me')
  me(@CurrentUser() user: AuthUser): AuthUser {
    return user;
  }
}

/** A JWKS over real HTTP, as the auth service serves it. */
async function serveJwks(
  keys: () => TestSigningKey[],
): Promise<{ server: Server; url: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((_req, res) => {
    hits += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: keys().map((key) => key.jwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/auth/.well-known/jwks.json`, hits: () => hits };
}

// The path the gateway and the other services use: the JWKS fetched over HTTP by jose's remote
// key set (cooldown shortened to 300 ms here) and revocations read from a Redis connection the
// module opens itself.
describe('KitAuthModule over real HTTP and Redis', () => {
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  let published: TestSigningKey[];
  let jwks: Awaited<ReturnType<typeof serveJwks>>;
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    await redis.connect();
    published = [generateSigningKey()];
    jwks = await serveJwks(() => published);
    @Module({
      imports: [
        KitAuthModule.forRoot({
          jwksUrl: jwks.url,
          redisUrl: REDIS_URL,
          jwksCooldownMs: COOLDOWN_MS,
        }),
      ],
      controllers: [MeController],
    })
    class MeModule {}
    app = await createApp(MeModule, {
      config: testConfig({ LOG_LEVEL: 'silent' }),
      metrics: { defaultMetrics: false },
      openApi: false,
      shutdownHooks: false,
    });
    ({ url } = await listen(app, { host: '127.0.0.1', port: 0 }));
  });

  afterAll(async () => {
    await app.close();
    await new Promise((resolve) => jwks.server.close(resolve));
    await redis.quit();
  });

  const me = (token: string) =>
    fetch(`${url}/me`, { headers: { authorization: `Bearer ${token}` } }).then(async (res) => ({
      status: res.status,
      body: (await res.json()) as Record<string, unknown>,
    }));

  it('verifies against the fetched JWKS and honours revocations in Redis', async () => {
    const payload = claims();
    const token = signEs256(published[0] as TestSigningKey, payload);
    expect((await me(token)).status).toBe(200);
    expect(jwks.hits()).toBe(1);

    const key = revokedJtiKey(String(payload.jti));
    await redis.set(key, '1', 'PX', 60_000);
    try {
      expect(await me(token)).toMatchObject({ status: 401, body: { code: 'TOKEN_REVOKED' } });
    } finally {
      await redis.del(key);
    }
  });

  it('refuses a flood of unknown kids with at most one fetch per cooldown, real tokens unharmed', async () => {
    await sleep(COOLDOWN_MS + 50);
    const before = jwks.hits();
    const real = signEs256(published[0] as TestSigningKey, claims());
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        me(i % 3 === 0 ? real : signEs256(generateSigningKey(`forged-${i}`), claims())),
      ),
    );
    const elapsed = Date.now() - started;
    results.forEach((res, i) => expect(res.status).toBe(i % 3 === 0 ? 200 : 401));
    expect(jwks.hits() - before).toBeLessThanOrEqual(1 + Math.ceil(elapsed / COOLDOWN_MS));
  });

  it('picks up a rotated key within the cooldown, and answers 503 when the JWKS cannot be reached', async () => {
    const rotated = generateSigningKey();
    published = [rotated, ...published];
    await sleep(COOLDOWN_MS + 50);
    const hits = jwks.hits();
    expect((await me(signEs256(rotated, claims()))).status).toBe(200);
    expect(jwks.hits()).toBe(hits + 1);

    await new Promise((resolve) => jwks.server.close(resolve));
    jwks.server.closeAllConnections();
    // Known keys keep working from the cache...
    expect((await me(signEs256(rotated, claims()))).status).toBe(200);
    // ...an unknown one cannot be looked up.
    await sleep(COOLDOWN_MS + 50);
    const res = await me(signEs256(generateSigningKey(), claims()));
    expect(res).toMatchObject({ status: 503, body: { code: 'AUTH_UNAVAILABLE' } });
  });
});
