/** ISO 4217 codes the runtime's ICU data knows; made-up codes such as "ABC" are not among them. */
const CURRENCY_CODES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/** True for a known ISO 4217 code written in upper case ("EUR"; not "eur", "EURO" or "ABC"). */
export function isCurrencyCode(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Z]{3}$/.test(value) && CURRENCY_CODES.has(value);
}

/** Digits after the decimal point of a currency's minor unit (EUR 2, JPY 0, KWD 3). */
export function minorUnitDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits ?? 2
  );
}

/** `2599, 'EUR'` -> `EUR 25.99`; exact for any safe integer (no float division). */
export function formatMoney(minor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  const negative = minor < 0;
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = digits > 0 ? `.${text.slice(text.length - digits)}` : '';
  return `${currency} ${negative ? '-' : ''}${whole}${fraction}`;
}
