import { randomUUID } from 'node:crypto';
import {
  type AddressedCall,
  type ApiResponse,
  type AuthStack,
  type Tokens,
  clientFrom,
  closeClients,
  startAuthStack,
} from '../../src';

/**
 * The operator console's cookie session (gateway/src/console) attacked from the outside, each
 * client from its own loopback address: no cookie, a customer's account or token in the cookie,
 * a state-changing call without or with a wrong CSRF token, and a request from another origin.
 * Admin routes of the auth service stand in for every admin route (the cookie becomes the same
 * bearer token for all of them).
 */
describe('security: the operator console session', () => {
  const AUTH_LIMIT = 8;
  /** RATE_LIMIT_ADDRESS_LIMIT's default (gateway/src/config.ts). */
  const ADDRESS_LIMIT = 1200;
  let stack: AuthStack;
  let gateway: string;
  let seq = 40;
  const password = 'correct horse battery staple';
  const fromNewAddress = (): AddressedCall => clientFrom(gateway, `127.0.1.${(seq += 1)}`);

  beforeAll(async () => {
    stack = await startAuthStack({
      gatewayEnv: {
        RATE_LIMIT_AUTH_LIMIT: String(AUTH_LIMIT),
        // The production per-address limit (the test stack lifts it by default).
        RATE_LIMIT_ADDRESS_LIMIT: String(ADDRESS_LIMIT),
      },
    });
    gateway = stack.gateways[0]!.url;
  });
  afterAll(async () => {
    await closeClients();
    await stack?.stop();
  });

  /** `name=value` pairs of the response's Set-Cookie headers, and the headers themselves. */
  function cookiesOf(res: ApiResponse<unknown>): { jar: string; raw: string[] } {
    const raw = res.headers.getSetCookie();
    const jar = raw
      .map((line) => line.split(';')[0]!)
      .filter((pair) => !pair.endsWith('='))
      .join('; ');
    return { jar, raw };
  }
  const csrfOf = (jar: string) => /commerce_console_csrf=([^;]+)/.exec(jar)?.[1] ?? '';

  async function signIn(call: AddressedCall, email: string, pass: string) {
    return call('POST', '/admin/session', { body: { email, password: pass } });
  }

  async function customer(call: AddressedCall): Promise<{ id: string; email: string }> {
    const email = `console-${randomUUID()}@example.test`;
    const res = await call<{ id: string }>('POST', '/api/auth/register', {
      body: { email, password, name: 'Customer' },
    });
    expect(res.status).toBe(201);
    return { id: res.body.id, email };
  }

  async function adminSession(call: AddressedCall): Promise<{ jar: string; csrf: string }> {
    const res = await signIn(call, stack.superAdmin.email, stack.superAdmin.password);
    expect(res.status).toBe(200);
    const { jar } = cookiesOf(res);
    return { jar, csrf: csrfOf(jar) };
  }

  it('serves the console shell to anyone, with no data and a strict content policy', async () => {
    const res = await fromNewAddress()('GET', '/admin/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.text).toContain('<div id="root"></div>');
    expect(res.text).not.toMatch(/@example\.test|accessToken/);
  });

  it('answers 401 to every data route without a session', async () => {
    const call = fromNewAddress();
    expect((await call('GET', '/admin/session')).status).toBe(401);
    expect((await call('GET', '/api/admin/users')).status).toBe(401);
  });

  it('sets HttpOnly, SameSite=Strict cookies for an operator and never shows the tokens', async () => {
    const call = fromNewAddress();
    const res = await signIn(call, stack.superAdmin.email, stack.superAdmin.password);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ user: { email: stack.superAdmin.email } });
    expect(res.text).not.toMatch(/accessToken|refreshToken|eyJ/);
    const { raw, jar } = cookiesOf(res);
    const session = raw.find((line) => line.startsWith('commerce_console='))!;
    const refresh = raw.find((line) => line.startsWith('commerce_console_refresh='))!;
    const csrf = raw.find((line) => line.startsWith('commerce_console_csrf='))!;
    for (const line of [session, refresh]) {
      expect(line).toMatch(/; HttpOnly/i);
      expect(line).toMatch(/; SameSite=Strict/i);
    }
    expect(csrf).toMatch(/; SameSite=Strict/i);
    expect(csrf).not.toMatch(/HttpOnly/i);
    expect(refresh).toMatch(/; Path=\/admin\/session/);

    // The cookie stands for the operator's token on the API (no Authorization header sent).
    const users = await call('GET', '/api/admin/users', { headers: { cookie: jar } });
    expect(users.status).toBe(200);
    const me = await call<{ user: { email: string } }>('GET', '/admin/session', {
      headers: { cookie: jar },
    });
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe(stack.superAdmin.email);
  });

  it('refuses a customer’s account (403, no session cookie) and a customer’s token in the cookie', async () => {
    const call = fromNewAddress();
    const account = await customer(call);
    const res = await signIn(call, account.email, password);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'FORBIDDEN' });
    expect(cookiesOf(res).raw.some((line) => line.startsWith('commerce_console='))).toBe(false);

    // A customer who builds the cookie by hand from their own token gains nothing.
    const login = await call<Tokens>('POST', '/api/auth/login', {
      body: { email: account.email, password },
    });
    const csrf = 'attacker-chosen-token';
    const jar = `commerce_console=${csrf}.${login.body.accessToken}; commerce_console_csrf=${csrf}`;
    expect((await call('GET', '/admin/session', { headers: { cookie: jar } })).status).toBe(403);
    expect((await call('GET', '/api/admin/users', { headers: { cookie: jar } })).status).toBe(403);
    const grab = await call('POST', `/api/admin/users/${account.id}/roles`, {
      headers: { cookie: jar, 'x-csrf-token': csrf },
      body: { role: 'ADMIN' },
    });
    expect(grab.status).toBe(403);
  });

  it('refuses state-changing calls without the CSRF token or with a wrong one, changing nothing', async () => {
    const call = fromNewAddress();
    const target = await customer(call);
    const { jar, csrf } = await adminSession(call);
    const grant = (headers: Record<string, string>) =>
      call('POST', `/api/admin/users/${target.id}/roles`, {
        headers: { cookie: jar, ...headers },
        body: { role: 'ADMIN' },
      });

    const missing = await grant({});
    expect(missing.status).toBe(403);
    expect(missing.body).toMatchObject({ code: 'CSRF_REJECTED' });
    const wrong = await grant({ 'x-csrf-token': `${csrf.slice(0, -2)}xx` });
    expect(wrong.status).toBe(403);
    // The readable cookie alone is not the check: a planted csrf cookie must match the session.
    const planted = await call('POST', `/api/admin/users/${target.id}/roles`, {
      headers: {
        cookie: jar.replace(/commerce_console_csrf=[^;]+/, 'commerce_console_csrf=planted'),
        'x-csrf-token': 'planted',
      },
      body: { role: 'ADMIN' },
    });
    expect(planted.status).toBe(403);
    const signOutWithout = await call('DELETE', '/admin/session', { headers: { cookie: jar } });
    expect(signOutWithout.status).toBe(403);

    const users = await call<{ items: { id: string; roles: string[] }[] }>(
      'GET',
      `/api/admin/users?email=${encodeURIComponent(target.email)}`,
      { headers: { cookie: jar } },
    );
    expect(users.body.items.find((u) => u.id === target.id)?.roles).toEqual(['CUSTOMER']);

    // With the token, the same call goes through, as the operator.
    const granted = await grant({ 'x-csrf-token': csrf });
    expect(granted.status).toBeLessThan(300);
    expect(granted.body).toMatchObject({ id: target.id });
  });

  it('refuses the cookie from another origin, even with the right CSRF token', async () => {
    const call = fromNewAddress();
    const { jar, csrf } = await adminSession(call);
    const evil = { cookie: jar, 'x-csrf-token': csrf, origin: 'https://evil.example' };
    const read = await call('GET', '/api/admin/users', { headers: evil });
    expect(read.status).toBe(403);
    expect(read.body).toMatchObject({ code: 'CSRF_REJECTED' });
    const crossSite = await call('GET', '/api/admin/users', {
      headers: { cookie: jar, 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.status).toBe(403);
    expect((await call('GET', '/admin/session', { headers: evil })).status).toBe(403);
    // Nor can another origin open a session (login CSRF).
    const open = await call('POST', '/admin/session', {
      headers: { origin: 'https://evil.example' },
      body: { email: stack.superAdmin.email, password: stack.superAdmin.password },
    });
    expect(open.status).toBe(403);
    expect(cookiesOf(open).raw).toHaveLength(0);
    // The gateway's own origin is fine.
    const own = await call('GET', '/api/admin/users', {
      headers: { cookie: jar, origin: gateway, 'sec-fetch-site': 'same-origin' },
    });
    expect(own.status).toBe(200);
  });

  it('revokes the tokens on sign-out, so a copied cookie stops working', async () => {
    const call = fromNewAddress();
    const { jar, csrf } = await adminSession(call);
    const out = await call('DELETE', '/admin/session', {
      headers: { cookie: jar, 'x-csrf-token': csrf },
    });
    expect(out.status).toBe(204);
    expect(cookiesOf(out).raw.every((line) => /Max-Age=0/.test(line))).toBe(true);
    const after = await call('GET', '/api/admin/users', { headers: { cookie: jar } });
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ code: 'TOKEN_REVOKED' });
  });

  it('renews the access token from the refresh cookie, with the CSRF token only', async () => {
    const call = fromNewAddress();
    const { jar, csrf } = await adminSession(call);
    expect(
      (await call('POST', '/admin/session/refresh', { headers: { cookie: jar } })).status,
    ).toBe(403);
    const renewed = await call('POST', '/admin/session/refresh', {
      headers: { cookie: jar, 'x-csrf-token': csrf },
    });
    expect(renewed.status).toBe(200);
    const next = cookiesOf(renewed).jar;
    expect(next).not.toBe(jar);
    expect((await call('GET', '/api/admin/users', { headers: { cookie: next } })).status).toBe(200);
  });

  it('counts console sign-ins in the per-address sign-in limit, like /api/auth/login', async () => {
    const guesser = fromNewAddress();
    const statuses: number[] = [];
    // A new account name each time: the auth service's own per-account count stays out of it.
    for (let i = 0; i < AUTH_LIMIT + 2; i++) {
      const email = `guess-${randomUUID()}@example.test`;
      statuses.push((await signIn(guesser, email, 'wrong password')).status);
    }
    expect(statuses.slice(0, AUTH_LIMIT).every((status) => status === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    // The owner, from another address, still signs in.
    const owner = await signIn(fromNewAddress(), stack.superAdmin.email, stack.superAdmin.password);
    expect(owner.status).toBe(200);
  });

  it('counts refused CSRF-less calls in the per-address limit: a flood gets 429', async () => {
    const { jar } = await adminSession(fromNewAddress());
    const attacker = fromNewAddress();
    let first429 = -1;
    for (let i = 0; i <= ADDRESS_LIMIT + 5 && first429 === -1; i += 1) {
      const res = await attacker('POST', `/api/admin/users/${randomUUID()}/roles`, {
        headers: { cookie: jar },
        body: { role: 'ADMIN' },
      });
      if (res.status === 429) first429 = i;
      else
        expect({ i, status: res.status, code: res.body }).toMatchObject({
          status: 403,
          code: { code: 'CSRF_REJECTED' },
        });
    }
    expect(first429).toBe(ADDRESS_LIMIT);
    // The operator's own session, from their address, still works.
    expect(
      (await fromNewAddress()('GET', '/api/admin/users', { headers: { cookie: jar } })).status,
    ).toBe(200);
  });

  it('refuses a malformed sign-in naming the field, before asking the auth service', async () => {
    const call = fromNewAddress();
    const res = await call('POST', '/admin/session', { body: { email: 'x@example.test' } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(res.text).toContain('password');
    const form = await call('POST', '/admin/session', {
      rawBody: 'email=a&password=b',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
  });
});
