import { ServiceCallError } from './errors';
import { type FakeAnswer, fakeFetch, tokenAnswer } from './fake-fetch.test-helpers';
import { ServiceTokenProvider, parseTokenResponse, renewalTime } from './token-provider';

const SECRET = 'a-very-secret-client-secret-0123456789';

function setup(answer: (index: number) => FakeAnswer | Promise<FakeAnswer>) {
  let now = 1_000_000;
  const fake = fakeFetch((_call, index) => answer(index));
  const provider = new ServiceTokenProvider({
    authUrl: 'http://auth.test/',
    clientId: 'activities',
    clientSecret: SECRET,
    fetch: fake.fetch,
    now: () => now,
  });
  return {
    provider,
    calls: fake.calls,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('renewalTime', () => {
  it('renews a 15-minute token 60 s before it expires', () => {
    expect(renewalTime(0, 900_000, 60_000)).toBe(840_000);
  });

  it('renews a short token at 80% of its life', () => {
    expect(renewalTime(0, 60_000, 60_000)).toBe(48_000);
    expect(renewalTime(1_000, 10_000, 60_000)).toBe(9_000);
  });
});

describe('parseTokenResponse', () => {
  it('accepts a bearer token with a positive lifetime', () => {
    expect(parseTokenResponse('{"accessToken":"t","expiresIn":900,"tokenType":"Bearer"}')).toEqual({
      accessToken: 't',
      expiresIn: 900,
      tokenType: 'Bearer',
    });
  });

  it.each([
    'not json',
    '{}',
    '{"accessToken":"","expiresIn":900}',
    '{"accessToken":"t","expiresIn":0}',
    '{"accessToken":"t","expiresIn":"900"}',
    '{"accessToken":"t","expiresIn":900,"tokenType":"MAC"}',
  ])('refuses %s', (text) => {
    expect(parseTokenResponse(text)).toBeUndefined();
  });
});

describe('ServiceTokenProvider', () => {
  it('asks the auth service with the client credentials as JSON', async () => {
    const { provider, calls } = setup(() => tokenAnswer('t1'));
    await expect(provider.getToken()).resolves.toBe('t1');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      url: 'http://auth.test/auth/token',
      method: 'POST',
      body: { clientId: 'activities', clientSecret: SECRET },
    });
    expect(calls[0]?.headers['content-type']).toBe('application/json');
  });

  it('reuses the token until shortly before it expires, then renews it', async () => {
    const { provider, calls, advance } = setup((i) => tokenAnswer(`t${i + 1}`, 900));
    await expect(provider.getToken()).resolves.toBe('t1');
    advance(839_000);
    await expect(provider.getToken()).resolves.toBe('t1');
    expect(calls).toHaveLength(1);
    advance(1_000);
    await expect(provider.getToken()).resolves.toBe('t2');
    expect(calls).toHaveLength(2);
    expect(provider.fetchCount).toBe(2);
  });

  it('shares one request among concurrent callers', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { provider, calls } = setup(async () => {
      await gate;
      return tokenAnswer('shared');
    });
    const tokens = Promise.all(Array.from({ length: 10 }, () => provider.getToken()));
    release();
    await expect(tokens).resolves.toEqual(Array.from({ length: 10 }, () => 'shared'));
    expect(calls).toHaveLength(1);
  });

  it('keeps using a still-valid token when its renewal fails', async () => {
    const { provider, advance } = setup((i) =>
      i === 0 ? tokenAnswer('t1', 900) : { status: 503, body: { code: 'SERVICE_UNAVAILABLE' } },
    );
    await provider.getToken();
    advance(850_000);
    await expect(provider.getToken()).resolves.toBe('t1');
  });

  it('after a failed renewal, waits a little before asking the auth service again', async () => {
    const { provider, calls, advance } = setup((i) =>
      i === 0
        ? tokenAnswer('t1', 900)
        : i === 1
          ? new TypeError('fetch failed')
          : tokenAnswer('t2'),
    );
    await provider.getToken();
    advance(850_000);
    await expect(provider.getToken()).resolves.toBe('t1');
    await expect(provider.getToken()).resolves.toBe('t1');
    expect(calls).toHaveLength(2);
    advance(5_000);
    await expect(provider.getToken()).resolves.toBe('t2');
    expect(calls).toHaveLength(3);
  });

  it('fails when the token has expired and no new one can be had', async () => {
    const { provider, advance } = setup((i) =>
      i === 0 ? tokenAnswer('t1', 900) : { status: 503, body: { code: 'SERVICE_UNAVAILABLE' } },
    );
    await provider.getToken();
    advance(900_000);
    const error = await provider.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceCallError);
    expect(error).toMatchObject({ service: 'auth', status: 503, retryable: true });
  });

  it('tries again after a failed request (the failure is not cached)', async () => {
    const { provider } = setup((i) =>
      i === 0 ? new TypeError('fetch failed') : tokenAnswer('t2'),
    );
    await expect(provider.getToken()).rejects.toMatchObject({ kind: 'network', retryable: true });
    await expect(provider.getToken()).resolves.toBe('t2');
  });

  it('invalidates only the token that was refused', async () => {
    const { provider, calls } = setup((i) => tokenAnswer(`t${i + 1}`));
    await provider.getToken();
    provider.invalidate('t1');
    await expect(provider.getToken()).resolves.toBe('t2');
    // A second caller that was refused t1 too must not throw t2 away.
    provider.invalidate('t1');
    await expect(provider.getToken()).resolves.toBe('t2');
    expect(calls).toHaveLength(2);
    provider.invalidate();
    await expect(provider.getToken()).resolves.toBe('t3');
  });

  it('reports refused credentials as not retryable, without the secret', async () => {
    const { provider } = setup(() => ({
      status: 401,
      body: {
        statusCode: 401,
        error: 'Unauthorized',
        message: 'Invalid client credentials',
        code: 'INVALID_CREDENTIALS',
        requestId: 'r',
      },
    }));
    const error = (await provider.getToken().catch((e: unknown) => e)) as ServiceCallError;
    expect(error).toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS', retryable: false });
    expect(error.message).toBe(
      'auth POST /auth/token answered 401 INVALID_CREDENTIALS: Invalid client credentials',
    );
    expect(JSON.stringify(error)).not.toContain(SECRET);
    expect(String(error.stack)).not.toContain(SECRET);
  });

  it('treats a throttled token request as retryable', async () => {
    const { provider } = setup(() => ({ status: 429, body: { code: 'TOO_MANY_ATTEMPTS' } }));
    await expect(provider.getToken()).rejects.toMatchObject({ status: 429, retryable: true });
  });

  it('refuses an answer that is not a token', async () => {
    const { provider } = setup(() => ({ status: 200, body: '<html>proxy</html>' }));
    await expect(provider.getToken()).rejects.toMatchObject({
      kind: 'invalid-response',
      retryable: true,
    });
  });

  it('requires its configuration', () => {
    expect(
      () => new ServiceTokenProvider({ authUrl: 'http://a', clientId: 'x', clientSecret: '' }),
    ).toThrow('clientSecret is required');
  });
});
