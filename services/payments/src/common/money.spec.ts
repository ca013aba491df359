import { formatMoney, isCurrencyCode, minorUnitDigits } from './money';

describe('money', () => {
  it('knows ISO 4217 codes in upper case only', () => {
    expect(isCurrencyCode('EUR')).toBe(true);
    expect(isCurrencyCode('eur')).toBe(false);
    expect(isCurrencyCode('ABC')).toBe(false);
    expect(isCurrencyCode('EURO')).toBe(false);
    expect(isCurrencyCode(978)).toBe(false);
  });

  it('formats minor units with the currency’s own exponent', () => {
    expect(minorUnitDigits('EUR')).toBe(2);
    expect(minorUnitDigits('JPY')).toBe(0);
    expect(formatMoney(2599, 'EUR')).toBe('EUR 25.99');
    expect(formatMoney(5, 'EUR')).toBe('EUR 0.05');
    expect(formatMoney(123456789, 'USD')).toBe('USD 1,234,567.89');
    expect(formatMoney(1500, 'JPY')).toBe('JPY 1,500');
    expect(formatMoney(-250, 'GBP')).toBe('GBP -2.50');
    expect(formatMoney(Number.MAX_SAFE_INTEGER, 'EUR')).toBe('EUR 90,071,992,547,409.91');
  });
});
