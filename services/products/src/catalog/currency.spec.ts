import { isCurrencyCode } from './currency';

describe('currency codes', () => {
  it.each(['USD', 'EUR', 'GBP', 'JPY', 'CHF', 'SEK', 'BRL', 'INR'])('accepts %s', (code) => {
    expect(isCurrencyCode(code)).toBe(true);
  });

  it.each(['usd', 'Eur', 'EURO', 'US', '', ' USD', 'ABC', 'XYZ', 'QQQ', '123'])(
    'refuses "%s"',
    (code) => {
      expect(isCurrencyCode(code)).toBe(false);
    },
  );

  it('refuses what is not a string', () => {
    for (const value of [undefined, null, 840, ['USD'], { code: 'USD' }]) {
      expect(isCurrencyCode(value)).toBe(false);
    }
  });
});
