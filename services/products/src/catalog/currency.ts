/**
 * ISO 4217 codes this service accepts: the active codes the runtime's ICU data knows (about 300),
 * which excludes made-up three-letter strings such as "ABC" or "XYZ".
 */
export const CURRENCY_CODES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/** True for a known ISO 4217 code written in upper case ("EUR"; not "eur", "EURO" or "ABC"). */
export function isCurrencyCode(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Z]{3}$/.test(value) && CURRENCY_CODES.has(value);
}
