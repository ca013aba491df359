import { normaliseEmail } from './email';

describe('normaliseEmail', () => {
  it('trims and lowercases', () => {
    expect(normaliseEmail('  Ada@Example.COM \n')).toBe('ada@example.com');
  });

  it('makes canonically equivalent Unicode forms equal', () => {
    const composed = 'Jos\u00e9@example.com';
    const decomposed = 'Jose\u0301@example.com';
    expect(normaliseEmail(decomposed)).toBe(normaliseEmail(composed));
    expect(normaliseEmail(composed)).toBe('jos\u00e9@example.com');
  });

  it('is idempotent', () => {
    const once = normaliseEmail(' MiXeD@Case.Example ');
    expect(normaliseEmail(once)).toBe(once);
  });
});
