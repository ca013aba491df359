/**
 * ISO 4217 codes the runtime's ICU data knows (about 300), which excludes made-up three-letter
 * strings such as "ABC" or "XYZ".
 */
const CURRENCY_CODES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/** True for a known ISO 4217 code written in upper case ("EUR"; not "eur", "EURO" or "ABC"). */
export function isCurrencyCode(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Z]{3}$/.test(value) && CURRENCY_CODES.has(value);
}

const formatters = new Map<string, Intl.NumberFormat>();

function formatterFor(currency: string, locale: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formatters.set(key, formatter);
  }
  return formatter;
}

/**
 * An amount in minor units as the locale writes it: `formatMoney(123456, 'EUR', 'de')` is
 * "1.234,56 €", `formatMoney(1999, 'USD', 'en')` is "$19.99", `formatMoney(500, 'JPY', 'en')` is
 * "¥500". The number of minor digits is the currency's own (ISO 4217: 2 for EUR, 0 for JPY, 3 for
 * KWD), so the arithmetic is a division by a power of ten, never a float sum.
 */
export function formatMoney(amountMinor: number, currency: string, locale: string): string {
  if (!Number.isSafeInteger(amountMinor)) {
    throw new RangeError(`amount must be an integer number of minor units, got ${amountMinor}`);
  }
  if (!isCurrencyCode(currency)) {
    throw new RangeError(
      `currency must be an ISO 4217 code such as "EUR", got ${JSON.stringify(currency)}`,
    );
  }
  const formatter = formatterFor(currency, locale);
  const digits = formatter.resolvedOptions().maximumFractionDigits ?? 2;
  return formatter.format(amountMinor / 10 ** digits);
}
