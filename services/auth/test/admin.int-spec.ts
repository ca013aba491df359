import {
  AuthTestEnvironment,
  type RunningAuth,
  SERVICE_SECRET,
  SUPER_ADMIN,
  claimsOf,
  errorShape,
} from './support/auth-app';

// Roles and who may change them, the service-account grant and the internal user listing.
describe('auth service: roles, service accounts, internal users', () => {
  const env = new AuthTestEnvironment();
  let auth: RunningAuth;
  let root: string;
  let alice: { id: string; token: string };
  let bob: { id: string; token: string };

  beforeAll(async () => {
    await env.setUp();
    auth = await env.start();
    root = await auth.superAdminToken();
    const a = await auth.newUser('alice@example.com');
    const b = await auth.newUser('bob@example.com');
    alice = { id: a.id, token: a.tokens.accessToken };
    bob = { id: b.id, token: b.tokens.accessToken };
  });
  afterAll(() => env.tearDown());

  const grant = (token: string, id: string, role: string) =>
    auth.request('POST', `/admin/users/${id}/roles`, { token, body: { role } });
  const revoke = (token: string, id: string, role: string) =>
    auth.request('DELETE', `/admin/users/${id}/roles/${role}`, { token });
  const rolesOf = async (id: string): Promise<string[]> => {
    const list = await auth.request<{ items: { id: string; roles: string[] }[] }>(
      'GET',
      '/admin/users?limit=100',
      { token: root },
    );
    return list.body.items.find((u) => u.id === id)?.roles ?? [];
  };

  it('creates the configured SUPER_ADMIN at start, and again idempotently', async () => {
    expect(claimsOf(root).roles).toEqual(['CUSTOMER', 'SUPER_ADMIN']);
    const again = await env.start();
    const login = await again.login(SUPER_ADMIN.email, SUPER_ADMIN.password);
    expect(claimsOf(login.body.accessToken).roles).toEqual(['CUSTOMER', 'SUPER_ADMIN']);
    const list = await auth.request<{ total: number }>('GET', '/admin/users?email=root@', {
      token: root,
    });
    expect(list.body.total).toBe(1);
  });

  it('refuses every admin route to a CUSTOMER, changing nothing', async () => {
    const self = await grant(alice.token, alice.id, 'ADMIN');
    expect(self.status).toBe(403);
    expect(self.body).toEqual(errorShape(403, 'FORBIDDEN'));
    expect((await grant(alice.token, bob.id, 'CUSTOMER')).status).toBe(403);
    expect((await revoke(alice.token, bob.id, 'CUSTOMER')).status).toBe(403);
    expect((await auth.request('GET', '/admin/users', { token: alice.token })).status).toBe(403);
    expect(await rolesOf(alice.id)).toEqual(['CUSTOMER']);
    expect(await rolesOf(bob.id)).toEqual(['CUSTOMER']);
  });

  it('lists users with paging and an email filter', async () => {
    const page = await auth.request<{
      items: Record<string, unknown>[];
      total: number;
      page: number;
      limit: number;
    }>('GET', '/admin/users?page=1&limit=2', { token: root });
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ total: 3, page: 1, limit: 2 });
    expect(page.body.items).toHaveLength(2);
    expect(page.body.items[0]).toEqual({
      id: expect.any(String),
      email: expect.any(String),
      name: expect.any(String),
      roles: expect.any(Array),
      createdAt: expect.any(String),
    });
    const second = await auth.request<{ items: unknown[] }>('GET', '/admin/users?page=2&limit=2', {
      token: root,
    });
    expect(second.body.items).toHaveLength(1);
    const filtered = await auth.request<{ items: { email: string }[]; total: number }>(
      'GET',
      '/admin/users?email=ALICE',
      { token: root },
    );
    expect(filtered.body.items.map((u) => u.email)).toEqual(['alice@example.com']);
    const wildcard = await auth.request<{ total: number }>('GET', '/admin/users?email=%25', {
      token: root,
    });
    expect(wildcard.body.total).toBe(0);
  });

  it('validates paths and queries with a 400 naming the field', async () => {
    const badId = await grant(root, 'not-a-uuid', 'ADMIN');
    expect(badId.status).toBe(400);
    expect(badId.body.details).toEqual([{ field: 'id', constraints: ['id must be a UUID'] }]);
    const badRole = await grant(root, bob.id, 'GOD');
    expect(badRole.status).toBe(400);
    expect((badRole.body.details as { field: string }[])[0]?.field).toBe('role');
    const serviceRole = await grant(root, bob.id, 'SERVICE');
    expect(serviceRole.status).toBe(400);
    const badLimit = await auth.request('GET', '/admin/users?limit=1000', { token: root });
    expect(badLimit.status).toBe(400);
    expect((badLimit.body.details as { field: string }[])[0]?.field).toBe('limit');
    const unknownQuery = await auth.request('GET', '/admin/users?sort=email', { token: root });
    expect(unknownQuery.status).toBe(400);
    expect(await rolesOf(bob.id)).toEqual(['CUSTOMER']);
  });

  it('answers 404 for an unknown user', async () => {
    const res = await grant(root, '00000000-0000-4000-8000-000000000000', 'ADMIN');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('USER_NOT_FOUND');
  });

  it('lets SUPER_ADMIN grant ADMIN, effective in the next token', async () => {
    const res = await grant(root, alice.id, 'ADMIN');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: alice.id, roles: ['CUSTOMER', 'ADMIN'] });
    // Idempotent.
    expect((await grant(root, alice.id, 'ADMIN')).body.roles).toEqual(['CUSTOMER', 'ADMIN']);

    // The token from before still says CUSTOMER: the change shows in the next one.
    expect((await auth.request('GET', '/admin/users', { token: alice.token })).status).toBe(403);
    const fresh = (await auth.login('alice@example.com')).body.accessToken;
    expect(claimsOf(fresh).roles).toEqual(['CUSTOMER', 'ADMIN']);
    alice.token = fresh;
    expect((await auth.request('GET', '/admin/users', { token: alice.token })).status).toBe(200);
  });

  it('lets ADMIN change CUSTOMER but not grant ADMIN or SUPER_ADMIN', async () => {
    const up = await grant(alice.token, bob.id, 'ADMIN');
    expect(up.status).toBe(403);
    expect(up.body).toEqual(errorShape(403, 'ROLE_CHANGE_FORBIDDEN'));
    expect((await grant(alice.token, bob.id, 'SUPER_ADMIN')).status).toBe(403);
    expect((await revoke(alice.token, alice.id, 'ADMIN')).status).toBe(403);
    expect(await rolesOf(bob.id)).toEqual(['CUSTOMER']);

    const removed = await revoke(alice.token, bob.id, 'CUSTOMER');
    expect(removed.status).toBe(200);
    expect(removed.body.roles).toEqual([]);
    const back = await grant(alice.token, bob.id, 'CUSTOMER');
    expect(back.body.roles).toEqual(['CUSTOMER']);
  });

  it('lets SUPER_ADMIN grant and remove SUPER_ADMIN, but never its own', async () => {
    expect((await grant(root, bob.id, 'SUPER_ADMIN')).body.roles).toEqual([
      'CUSTOMER',
      'SUPER_ADMIN',
    ]);
    const bobToken = (await auth.login('bob@example.com')).body.accessToken;
    const self = await revoke(bobToken, bob.id, 'SUPER_ADMIN');
    expect(self.status).toBe(403);
    expect(self.body.code).toBe('ROLE_CHANGE_FORBIDDEN');
    expect((await revoke(root, bob.id, 'SUPER_ADMIN')).body.roles).toEqual(['CUSTOMER']);
    // Bob's token said SUPER_ADMIN: taking the role away revoked it at once.
    const stale = await grant(bobToken, alice.id, 'SUPER_ADMIN');
    expect(stale.status).toBe(401);
    expect(stale.body.code).toBe('TOKEN_REVOKED');
    expect(await rolesOf(alice.id)).toEqual(['CUSTOMER', 'ADMIN']);
    // A new sign-in works and carries the roles as they are now.
    const fresh = (await auth.login('bob@example.com')).body.accessToken;
    const me = await auth.request<{ roles: string[] }>('GET', '/auth/me', { token: fresh });
    expect(me.body.roles).toEqual(['CUSTOMER']);
  });

  describe('service accounts', () => {
    // The notifications service reads campaign audiences: /internal/users is granted to it.
    const serviceToken = async (clientId = 'notifications'): Promise<string> => {
      const res = await auth.request<{ accessToken: string; expiresIn: number }>(
        'POST',
        '/auth/token',
        { body: { clientId, clientSecret: SERVICE_SECRET } },
      );
      expect(res.status).toBe(200);
      return res.body.accessToken;
    };

    it('issues SERVICE tokens for the client-credentials grant', async () => {
      const token = await serviceToken('activities');
      expect(claimsOf(token)).toMatchObject({ sub: 'activities', roles: ['SERVICE'] });
      expect(claimsOf(token)).not.toHaveProperty('email');
    });

    it('refuses a wrong secret or an unknown client alike', async () => {
      const wrong = await auth.request('POST', '/auth/token', {
        body: { clientId: 'activities', clientSecret: 'nope' },
      });
      const unknown = await auth.request('POST', '/auth/token', {
        body: { clientId: 'nobody', clientSecret: SERVICE_SECRET },
      });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
      expect(unknown.body.message).toBe(wrong.body.message);
    });

    it('pages through /internal/users with a SERVICE token', async () => {
      const token = await serviceToken();
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = cursor ? `&cursor=${cursor}` : '';
        const res: {
          status: number;
          body: { items: { email: string }[]; nextCursor: string | null };
        } = await auth.request('GET', `/internal/users?limit=2${query}`, { token });
        expect(res.status).toBe(200);
        seen.push(...res.body.items.map((u) => u.email));
        cursor = res.body.nextCursor;
        pages += 1;
      } while (cursor && pages < 10);
      expect(pages).toBe(2);
      expect(seen.sort()).toEqual(['alice@example.com', 'bob@example.com', 'root@example.com']);

      const admins = await auth.request<{ items: { email: string; roles: string[] }[] }>(
        'GET',
        '/internal/users?role=ADMIN',
        { token },
      );
      expect(admins.body.items).toEqual([
        {
          id: alice.id,
          email: 'alice@example.com',
          name: 'Test User',
          roles: ['CUSTOMER', 'ADMIN'],
        },
      ]);
    });

    it('filters /internal/users by ids, comma-separated or repeated', async () => {
      const token = await serviceToken();
      const unknown = '00000000-0000-4000-8000-000000000000';
      type Page = { items: { id: string }[]; nextCursor: string | null };
      const joined = await auth.request<Page>('GET', `/internal/users?ids=${alice.id},${unknown}`, {
        token,
      });
      expect(joined.status).toBe(200);
      expect(joined.body.items.map((u) => u.id)).toEqual([alice.id]);
      const repeated = await auth.request<Page>(
        'GET',
        `/internal/users?ids=${alice.id}&ids=${bob.id}&limit=1`,
        { token },
      );
      expect(repeated.body.items).toHaveLength(1);
      expect(repeated.body.nextCursor).toBe(repeated.body.items[0]?.id);
      const bad = await auth.request<{ code: string; message: string }>(
        'GET',
        '/internal/users?ids=nope',
        { token },
      );
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/ids/);
    });

    it('refuses /internal/users to user tokens, even SUPER_ADMIN', async () => {
      const customer = (await auth.login('bob@example.com')).body.accessToken;
      const res = await auth.request('GET', '/internal/users', { token: customer });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
      expect((await auth.request('GET', '/internal/users', { token: root })).status).toBe(403);
      expect((await auth.request('GET', '/internal/users')).status).toBe(401);
    });

    it('refuses /internal/users to a service account it is not granted to', async () => {
      const res = await auth.request('GET', '/internal/users', {
        token: await serviceToken('activities'),
      });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });

    it('has no profile for a service token on /auth/me', async () => {
      const res = await auth.request('GET', '/auth/me', { token: await serviceToken() });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('USER_NOT_FOUND');
    });
  });
});
