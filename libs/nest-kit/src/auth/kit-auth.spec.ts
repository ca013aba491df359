import { type AuthUser, Role, revokedJtiKey } from '@commerce/contracts';
import { Controller, type ExecutionContext, Get, Injectable, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../bootstrap/create-app';
import { testConfig } from '../testing/kit.test-helpers';
import { CurrentUser, Public, Roles, ServiceClients } from './auth.decorators';
import type { JwksDocument, KitAuthModuleOptions, KitAuthOptions } from './auth.options';
import {
  MemoryRevocationStore,
  type TestSigningKey,
  claims,
  generateSigningKey,
  signEs256,
  signHs256,
  signNone,
} from './auth.test-helpers';
import { JwtAuthGuard } from './jwt-auth.guard';
import { JwtVerifier } from './jwt-verifier.service';
import { KitAuthModule } from './kit-auth.module';

@Controller()
class ProbeController {
  @Get('me')
  me(@CurrentUser() user: AuthUser): AuthUser {
    return user;
  }

  @Public()
  @Get('open')
  open(): { open: true } {
    return { open: true };
  }

  @Roles(Role.ADMIN, Role.SUPER_ADMIN)
  @Get('admin')
  admin(@CurrentUser() user: AuthUser): { id: string } {
    return { id: user.id };
  }

  @ServiceClients('activities')
  @Get('internal/reserve')
  reserve(): { ok: true } {
    return { ok: true };
  }

  @Roles(Role.SERVICE)
  @Get('internal/ungranted')
  ungranted(): { ok: true } {
    return { ok: true };
  }

  @Get('dynamic/open')
  dynamicOpen(): { dynamic: true } {
    return { dynamic: true };
  }

  @Get('dynamic/closed')
  dynamicClosed(): { dynamic: false } {
    return { dynamic: false };
  }
}

/** A JWKS served from memory; counts fetches so the cache and the refetch can be observed. */
class MemoryJwks {
  keys: TestSigningKey[] = [];
  fetches = 0;
  down = false;

  readonly fetch = (url: string): Promise<JwksDocument> => {
    this.fetches += 1;
    expect(url).toBe('http://auth.test/auth/.well-known/jwks.json');
    if (this.down) return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:3001'));
    return Promise.resolve({ keys: this.keys.map((key) => key.jwk) });
  };
}

async function boot(
  jwks: MemoryJwks,
  revocation: MemoryRevocationStore,
  extra: Partial<KitAuthOptions> & KitAuthModuleOptions = {},
): Promise<NestFastifyApplication> {
  @Module({
    imports: [
      KitAuthModule.forRoot({
        jwksUrl: 'http://auth.test/auth/.well-known/jwks.json',
        fetchJwks: jwks.fetch,
        redis: revocation,
        ...extra,
      }),
    ],
    controllers: [ProbeController],
  })
  class ProbeModule {}

  return createApp(ProbeModule, {
    config: testConfig({ LOG_LEVEL: 'silent' }),
    metrics: { defaultMetrics: false },
    openApi: false,
    shutdownHooks: false,
  });
}

describe('KitAuthModule (ES256 + JWKS + revocation, through app.inject)', () => {
  const jwks = new MemoryJwks();
  const revocation = new MemoryRevocationStore();
  const key = generateSigningKey('key-1');
  let app: NestFastifyApplication;

  beforeAll(async () => {
    jwks.keys = [key];
    app = await boot(jwks, revocation, { isPublic: (req) => req.url === '/dynamic/open' });
  });
  afterAll(() => app.close());
  beforeEach(() => {
    jwks.down = false;
    revocation.failing = false;
  });

  const get = (url: string, token?: string, authorization?: string) =>
    app.inject({
      method: 'GET',
      url,
      headers: {
        'x-request-id': 'auth-test',
        ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
        ...(authorization !== undefined ? { authorization } : {}),
      },
    });

  const expectError = (
    res: Awaited<ReturnType<typeof get>>,
    statusCode: number,
    code: string,
  ): void => {
    expect({ status: res.statusCode, body: res.json() }).toEqual({
      status: statusCode,
      body: {
        statusCode,
        error:
          statusCode === 401
            ? 'Unauthorized'
            : statusCode === 403
              ? 'Forbidden'
              : expect.any(String),
        message: expect.any(String),
        code,
        requestId: 'auth-test',
      },
    });
  };

  it('accepts a valid token and exposes the caller with its roles', async () => {
    const payload = claims({ roles: [Role.CUSTOMER, Role.ADMIN], email: 'ada@example.com' });
    const res = await get('/me', signEs256(key, payload));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      id: payload.sub,
      email: 'ada@example.com',
      roles: ['CUSTOMER', 'ADMIN'],
      jti: payload.jti,
      exp: payload.exp,
    });
  });

  it('accepts a service token without email', async () => {
    const res = await get(
      '/me',
      signEs256(key, claims({ sub: 'activities', email: undefined, roles: [Role.SERVICE] })),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: 'activities', roles: ['SERVICE'] });
    expect(res.json()).not.toHaveProperty('email');
  });

  it('lets @Public() routes, health and the isPublic option through without a token', async () => {
    expect((await get('/open')).statusCode).toBe(200);
    expect((await get('/health/live')).statusCode).toBe(200);
    expect((await get('/metrics')).statusCode).toBe(200);
    expect((await get('/dynamic/open')).json()).toEqual({ dynamic: true });
    expectError(await get('/dynamic/closed'), 401, 'TOKEN_MISSING');
  });

  it('answers a missing token with 401 TOKEN_MISSING and a WWW-Authenticate challenge', async () => {
    const res = await get('/me');
    expectError(res, 401, 'TOKEN_MISSING');
    expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  });

  it.each([
    ['a non-bearer scheme', 'Basic YWRhOnNlY3JldA=='],
    ['a bearer without token', 'Bearer '],
    ['a token that is not a JWT', 'Bearer not-a-jwt'],
    ['a JWT with garbage segments', 'Bearer aaa.bbb.ccc'],
  ])('answers %s with 401 TOKEN_INVALID', async (_name, authorization) => {
    expectError(await get('/me', undefined, authorization), 401, 'TOKEN_INVALID');
  });

  it('rejects a token signed by another key under a published kid', async () => {
    const impostor = generateSigningKey('key-1');
    expectError(await get('/me', signEs256(impostor, claims())), 401, 'TOKEN_INVALID');
  });

  it('rejects alg none, with and without a known kid', async () => {
    expectError(await get('/me', signNone(claims())), 401, 'TOKEN_INVALID');
    expectError(await get('/me', signNone(claims(), key.kid)), 401, 'TOKEN_INVALID');
  });

  it('rejects HS256 signed with the public key as the HMAC secret', async () => {
    const pem = key.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expectError(await get('/me', signHs256(pem, claims(), key.kid)), 401, 'TOKEN_INVALID');
  });

  it('rejects a wrong issuer or audience', async () => {
    expectError(
      await get('/me', signEs256(key, claims({ iss: 'someone-else' }))),
      401,
      'TOKEN_INVALID',
    );
    expectError(
      await get('/me', signEs256(key, claims({ aud: 'another-api' }))),
      401,
      'TOKEN_INVALID',
    );
  });

  it('rejects tokens whose claims are incomplete (no exp, no jti, unknown role)', async () => {
    expectError(await get('/me', signEs256(key, claims({ exp: undefined }))), 401, 'TOKEN_INVALID');
    expectError(await get('/me', signEs256(key, claims({ jti: undefined }))), 401, 'TOKEN_INVALID');
    expectError(
      await get('/me', signEs256(key, claims({ roles: ['ROOT'] }))),
      401,
      'TOKEN_INVALID',
    );
  });

  it('answers an expired token with 401 TOKEN_EXPIRED', async () => {
    const past = Math.floor(Date.now() / 1000) - 60;
    const res = await get('/me', signEs256(key, claims({ iat: past - 900, exp: past })));
    expectError(res, 401, 'TOKEN_EXPIRED');
  });

  it('answers a revoked jti with 401 TOKEN_REVOKED', async () => {
    const payload = claims();
    const token = signEs256(key, payload);
    expect((await get('/me', token)).statusCode).toBe(200);
    revocation.keys.add(revokedJtiKey(String(payload.jti)));
    expectError(await get('/me', token), 401, 'TOKEN_REVOKED');
  });

  it('answers 503 AUTH_UNAVAILABLE when the revocation store is down', async () => {
    revocation.failing = true;
    expectError(await get('/me', signEs256(key, claims())), 503, 'AUTH_UNAVAILABLE');
  });

  it('enforces @Roles with 403 FORBIDDEN', async () => {
    expectError(
      await get('/admin', signEs256(key, claims({ roles: [Role.CUSTOMER] }))),
      403,
      'FORBIDDEN',
    );
    const admin = await get('/admin', signEs256(key, claims({ roles: [Role.SUPER_ADMIN] })));
    expect(admin.statusCode).toBe(200);
    expectError(await get('/admin'), 401, 'TOKEN_MISSING');
  });

  it('grants an internal route only to the service accounts it names', async () => {
    const service = (sub: string) => signEs256(key, claims({ sub, roles: [Role.SERVICE] }));
    expect((await get('/internal/reserve', service('activities'))).statusCode).toBe(200);
    expectError(await get('/internal/reserve', service('notifications')), 403, 'FORBIDDEN');
    expectError(
      await get('/internal/reserve', signEs256(key, claims({ roles: [Role.SUPER_ADMIN] }))),
      403,
      'FORBIDDEN',
    );
    // SERVICE alone grants nothing: a route must name its callers.
    expectError(await get('/internal/ungranted', service('activities')), 403, 'FORBIDDEN');
  });
});

describe('keys handed over by the app (fetchJwks)', () => {
  it('reads the current keys on each lookup: a rotated key works at once, a ghost kid is a 401', async () => {
    const jwks = new MemoryJwks();
    const oldKey = generateSigningKey('old');
    const newKey = generateSigningKey('new');
    jwks.keys = [oldKey];
    const app = await boot(jwks, new MemoryRevocationStore());
    try {
      const me = (token: string) =>
        app.inject({ url: '/me', headers: { authorization: `Bearer ${token}` } });
      expect((await me(signEs256(oldKey, claims()))).statusCode).toBe(200);
      jwks.keys = [newKey, oldKey];
      expect((await me(signEs256(newKey, claims()))).statusCode).toBe(200);
      expect((await me(signEs256(oldKey, claims()))).statusCode).toBe(200);
      const res = await me(signEs256(generateSigningKey('ghost'), claims()));
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ code: 'TOKEN_INVALID' });
    } finally {
      await app.close();
    }
  });

  it('answers 503 AUTH_UNAVAILABLE (not 500) while the keys cannot be read', async () => {
    const jwks = new MemoryJwks();
    const key = generateSigningKey('k');
    jwks.keys = [key];
    jwks.down = true;
    const app = await boot(jwks, new MemoryRevocationStore());
    try {
      const token = signEs256(key, claims());
      const res = await app.inject({ url: '/me', headers: { authorization: `Bearer ${token}` } });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'AUTH_UNAVAILABLE' });
      jwks.down = false;
      const again = await app.inject({ url: '/me', headers: { authorization: `Bearer ${token}` } });
      expect(again.statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('customising publicness', () => {
  @Injectable()
  class PathGuard extends JwtAuthGuard {
    protected override isPublic(context: ExecutionContext): boolean | Promise<boolean> {
      const request = context.switchToHttp().getRequest<{ url: string }>();
      return request.url.startsWith('/dynamic/') || super.isPublic(context);
    }
  }

  it('registers a JwtAuthGuard subclass as the global guard', async () => {
    const jwks = new MemoryJwks();
    jwks.keys = [generateSigningKey()];
    const app = await boot(jwks, new MemoryRevocationStore(), { guard: PathGuard });
    try {
      expect((await app.inject({ url: '/dynamic/closed' })).statusCode).toBe(200);
      expect((await app.inject({ url: '/open' })).statusCode).toBe(200);
      expect((await app.inject({ url: '/me' })).json()).toMatchObject({ code: 'TOKEN_MISSING' });
    } finally {
      await app.close();
    }
  });

  it('verifies bare tokens through JwtVerifier (for code outside guards)', async () => {
    const jwks = new MemoryJwks();
    const key = generateSigningKey();
    jwks.keys = [key];
    const app = await boot(jwks, new MemoryRevocationStore(), { globalGuards: false });
    try {
      // Without global guards nothing is enforced by default...
      expect((await app.inject({ url: '/dynamic/closed' })).statusCode).toBe(200);
      // ...and the verifier is injectable on its own.
      const verifier = app.get(JwtVerifier);
      const payload = claims({ roles: [Role.ADMIN] });
      await expect(verifier.verifyToken(signEs256(key, payload))).resolves.toMatchObject({
        id: payload.sub,
        roles: ['ADMIN'],
      });
      await expect(verifier.verifyToken('nope')).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    } finally {
      await app.close();
    }
  });
});

describe('verified-token cache (verifiedTokenCache)', () => {
  const jwksUrl = 'http://auth.test/auth/.well-known/jwks.json';
  let jwks: MemoryJwks;
  let revocation: MemoryRevocationStore;
  let key: TestSigningKey;
  beforeEach(() => {
    jwks = new MemoryJwks();
    key = generateSigningKey();
    jwks.keys = [key];
    revocation = new MemoryRevocationStore();
  });
  afterEach(() => jest.useRealTimers());

  // fetchJwks runs on every key lookup, so its count is the number of signature checks made.
  const verifier = (cache?: KitAuthOptions['verifiedTokenCache']) =>
    new JwtVerifier({
      jwksUrl,
      fetchJwks: jwks.fetch,
      redis: revocation,
      ...(cache ? { verifiedTokenCache: cache } : {}),
    });

  it('checks the signature of a token once, and checks every token without the cache', async () => {
    const token = signEs256(key, claims({ roles: [Role.ADMIN] }));
    const cached = verifier({ maxEntries: 10, maxAgeMs: 60_000 });
    const first = await cached.verifyToken(token);
    const again = await cached.verifyToken(token);
    expect(again).toEqual(first);
    expect(jwks.fetches).toBe(1);
    // What a caller does to its copy does not reach the next request.
    first.roles.push(Role.SUPER_ADMIN);
    expect((await cached.verifyToken(token)).roles).toEqual([Role.ADMIN]);

    const plain = verifier();
    await plain.verifyToken(token);
    await plain.verifyToken(token);
    expect(jwks.fetches).toBe(3);
  });

  it('still refuses a cached token once its jti is revoked', async () => {
    const payload = claims();
    const token = signEs256(key, payload);
    const cached = verifier({ maxEntries: 10, maxAgeMs: 60_000 });
    await cached.verifyToken(token);
    revocation.keys.add(revokedJtiKey(String(payload.jti)));
    await expect(cached.verifyToken(token)).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
  });

  it('still refuses a cached token once it has expired', async () => {
    const now = Date.now();
    const exp = Math.floor(now / 1000) + 30;
    const token = signEs256(key, claims({ exp }));
    const cached = verifier({ maxEntries: 10, maxAgeMs: 600_000 });
    await cached.verifyToken(token);
    // Past exp and the 5 s tolerance, on the wall clock only (the cache's own clock stands still).
    jest.useFakeTimers({ now: (exp + 6) * 1000, doNotFake: ['performance', 'hrtime'] });
    await expect(cached.verifyToken(token)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
  });

  it('keeps only signature-checked tokens: a forged one is refused every time', async () => {
    const forged = signEs256(generateSigningKey(key.kid), claims());
    const cached = verifier({ maxEntries: 10, maxAgeMs: 60_000 });
    for (let i = 0; i < 2; i += 1) {
      await expect(cached.verifyToken(forged)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    }
    expect(jwks.fetches).toBe(2);
  });
});
