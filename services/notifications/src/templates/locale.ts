import { DEFAULT_LOCALE } from './default-templates';

/**
 * The locales to try for a requested one, most specific first, ending with the default:
 * `de-AT` -> `de-AT`, `de`, `en`; nothing or `en-GB` -> ..., `en`. Tags are canonicalised
 * (`DE-at` -> `de-AT`); one that is not a BCP 47 tag falls back to the default.
 */
export function localeCandidates(requested: string | undefined): string[] {
  const candidates: string[] = [];
  if (requested) {
    let canonical: string | undefined;
    try {
      canonical = Intl.getCanonicalLocales(requested)[0];
    } catch {
      canonical = undefined;
    }
    const parts = canonical?.split('-') ?? [];
    for (let length = parts.length; length > 0; length--) {
      candidates.push(parts.slice(0, length).join('-'));
    }
  }
  if (!candidates.includes(DEFAULT_LOCALE)) candidates.push(DEFAULT_LOCALE);
  return candidates;
}
