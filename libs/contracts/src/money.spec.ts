import { formatMoney, isCurrencyCode } from './money';

describe('formatMoney', () => {
  it.each([
    [123456, 'EUR', 'de', '1.234,56\u00a0€'],
    [123456, 'EUR', 'en', '€1,234.56'],
    [1999, 'USD', 'en', '$19.99'],
    [5, 'EUR', 'en', '€0.05'],
    [0, 'GBP', 'en', '£0.00'],
    [500, 'JPY', 'en', '¥500'],
    [1234, 'KWD', 'en', 'KWD\u00a01.234'],
  ])('%d %s in %s is %s', (amount, currency, locale, expected) => {
    expect(formatMoney(amount, currency, locale)).toBe(expected);
  });

  it('refuses fractions of a minor unit and unknown currencies', () => {
    expect(() => formatMoney(19.99, 'EUR', 'en')).toThrow(/integer/);
    expect(() => formatMoney(Number.MAX_SAFE_INTEGER + 2, 'EUR', 'en')).toThrow(/integer/);
    expect(() => formatMoney(100, 'eur', 'en')).toThrow(/ISO 4217/);
    expect(() => formatMoney(100, 'ABC', 'en')).toThrow(/ISO 4217/);
  });
});

describe('isCurrencyCode', () => {
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
