import { passwordPolicyViolations } from './password-policy';

describe('passwordPolicyViolations', () => {
  const email = 'ada.lovelace@example.com';

  it.each(['Password-123', 'correct horse battery', 'ümlaut-Pässwort', 'aaaaaaaaa1'])(
    'accepts %j',
    (password) => {
      expect(passwordPolicyViolations(password, email)).toEqual([]);
    },
  );

  it('requires 10 to 128 characters, counted as code points', () => {
    expect(passwordPolicyViolations('Short-1', email)).toEqual([
      'password must be between 10 and 128 characters long',
    ]);
    expect(passwordPolicyViolations(`A-${'x'.repeat(127)}`, email)).toHaveLength(1);
    expect(passwordPolicyViolations(`A-${'x'.repeat(126)}`, email)).toEqual([]);
    // 10 emoji are 20 UTF-16 units but 10 characters.
    expect(passwordPolicyViolations('😀😀😀😀😀😀😀😀😀a', email)).toEqual([]);
  });

  it('refuses a single character class', () => {
    for (const password of ['abcdefghijkl', 'ABCDEFGHIJKL', '123456789012', '!!!!!!!!!!!!']) {
      expect(passwordPolicyViolations(password, email)).toEqual([
        'password must mix at least two of: lowercase letters, uppercase letters, digits, symbols',
      ]);
    }
  });

  it('refuses the email address or its local part, in any case', () => {
    expect(passwordPolicyViolations('Ada.Lovelace@Example.com', email)).toEqual([
      'password must not be the email address',
    ]);
    expect(passwordPolicyViolations('ADA.LOVELACE', email)).toContain(
      'password must not be the email address',
    );
  });

  it('reports every broken rule at once', () => {
    expect(passwordPolicyViolations('abc', 'abc@example.com')).toHaveLength(3);
  });
});
