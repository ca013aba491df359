/**
 * Typo tolerance for catalog search, with Meilisearch's default budget: no typo in words of up
 * to four letters, one in words of 5 to 8, two from 9 on; a swap of two neighbouring letters
 * (the most common slip) counts as one typo, not two. A misspelt word is rewritten to the
 * catalog word nearest to it (fewest typos, then the word more products use), so the ranked
 * full-text search runs on words that exist.
 */

/** A dictionary word that looks like a searched word, and how many products use it. */
export interface TermCandidate {
  readonly word: string;
  readonly term: string;
  readonly docs: number;
}

export interface Correction {
  /** The search text with every corrected word replaced. */
  readonly text: string;
  readonly corrections: readonly { readonly from: string; readonly to: string }[];
}

/** Words as the catalog's dictionary splits them (lower case, runs of letters and digits). */
export function searchWords(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** How many typos a word of this length may carry and still be corrected. */
export function typoBudget(word: string): number {
  const length = [...word].length;
  if (length >= 9) return 2;
  if (length >= 5) return 1;
  return 0;
}

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transposition), or `max + 1` as
 * soon as it is certain to exceed `max`.
 */
export function typoDistance(a: string, b: string, max: number): number {
  const s = [...a];
  const t = [...b];
  if (Math.abs(s.length - t.length) > max) return max + 1;
  // Three rows are enough for the transposition step.
  let before = new Array<number>(t.length + 1).fill(0);
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  let current = new Array<number>(t.length + 1).fill(0);
  for (let i = 1; i <= s.length; i++) {
    current[0] = i;
    let rowMin = current[0];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let value = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        value = Math.min(value, (before[j - 2] as number) + 1);
      }
      current[j] = value;
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
    [before, previous, current] = [previous, current, before];
  }
  return Math.min(previous[t.length] as number, max + 1);
}

/**
 * The correction of each misspelt word: the candidate within its typo budget with the fewest
 * typos, then the most products, then alphabetical (so the answer never depends on row order).
 * A word that is itself in the dictionary is left as it is.
 */
export function chooseCorrections(
  words: readonly string[],
  candidates: readonly TermCandidate[],
): Map<string, string> {
  const chosen = new Map<string, string>();
  for (const word of new Set(words)) {
    const budget = typoBudget(word);
    if (budget === 0) continue;
    let best: { term: string; distance: number; docs: number } | undefined;
    for (const candidate of candidates) {
      if (candidate.word !== word) continue;
      const distance = typoDistance(word, candidate.term, budget);
      if (distance > budget) continue;
      const better =
        !best ||
        distance < best.distance ||
        (distance === best.distance && candidate.docs > best.docs) ||
        (distance === best.distance && candidate.docs === best.docs && candidate.term < best.term);
      if (better) best = { term: candidate.term, distance, docs: candidate.docs };
    }
    if (best && best.distance > 0) chosen.set(word, best.term);
  }
  return chosen;
}

/** The search text with the chosen corrections applied, or undefined when nothing changed. */
export function applyCorrections(
  text: string,
  chosen: ReadonlyMap<string, string>,
): Correction | undefined {
  if (chosen.size === 0) return undefined;
  const corrections: { from: string; to: string }[] = [];
  const rewritten = text.replace(/[\p{L}\p{N}]+/gu, (token) => {
    const to = chosen.get(token.toLowerCase());
    if (to === undefined) return token;
    corrections.push({ from: token, to });
    return to;
  });
  return { text: rewritten, corrections };
}
