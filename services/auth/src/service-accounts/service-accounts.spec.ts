import { parseServiceAccounts } from './service-accounts.parse';
import { secretMatches } from './service-accounts.service';

describe('SERVICE_ACCOUNTS parsing', () => {
  const secret = 's3cret-s3cret-s3cret';

  it('reads client:secret pairs (secrets may contain colons)', () => {
    expect(parseServiceAccounts(` activities:${secret}, workers:a:b:${secret} ,`)).toEqual({
      ok: true,
      accounts: [
        { clientId: 'activities', secret },
        { clientId: 'workers', secret: `a:b:${secret}` },
      ],
    });
    expect(parseServiceAccounts('')).toEqual({ ok: true, accounts: [] });
  });

  it('explains problems without repeating the secret', () => {
    const cases = [
      `Activities:${secret}`,
      'activities:short',
      `nocolon${secret}`,
      `a:${secret},a:${secret}`,
    ];
    for (const raw of cases) {
      const parsed = parseServiceAccounts(raw);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.problem).not.toContain(secret);
    }
    expect(parseServiceAccounts('activities:short')).toEqual({
      ok: false,
      problem: 'entry 1 (activities): the secret must be at least 16 characters',
    });
  });
});

describe('secretMatches', () => {
  const account = { clientId: 'activities', secret: 'the-right-secret-123' };

  it('accepts only the exact secret of a known account', () => {
    expect(secretMatches(account, 'the-right-secret-123')).toBe(true);
    expect(secretMatches(account, 'the-right-secret-124')).toBe(false);
    expect(secretMatches(account, 'the-right-secret-123 ')).toBe(false);
    expect(secretMatches(account, '')).toBe(false);
    expect(secretMatches(undefined, 'the-right-secret-123')).toBe(false);
  });
});
