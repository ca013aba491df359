import { CatalogSearch, type SearchDb } from './catalog-search';
import type { WordRow } from './relevance-query';

/** A database that answers the word lookup with the given rows (the plan's only statement). */
function lookup(rows: WordRow[]): SearchDb {
  return { rows: <T>() => Promise.resolve(rows as T[]) };
}

const word = (w: string, lexeme: string | null, docs: number, inNames: boolean): WordRow => ({
  word: w,
  folded: w,
  term: null,
  lexeme,
  docs,
  inNames,
});

const candidate = (w: string, term: string, lexeme: string, docs: number): WordRow => ({
  word: w,
  folded: w,
  term,
  lexeme,
  docs,
  inNames: true,
});

describe('CatalogSearch.plan', () => {
  const plan = (q: string, rows: WordRow[]) =>
    new CatalogSearch(lookup(rows), { exactTotalUpTo: 200 }).plan(q);

  it('walks the rarest name word first and bounds the estimate by it', async () => {
    const result = await plan('Bamboo desk lamp', [
      word('bamboo', 'bamboo', 16000, false),
      word('desk', 'desk', 4800, true),
      word('lamp', 'lamp', 4900, true),
    ]);
    expect(result).toEqual({ text: 'Bamboo desk lamp', nameLexemes: ['desk', 'lamp'], docs: 4800 });
  });

  it('rewrites misspelt words to the nearest catalog word within the typo budget', async () => {
    const result = await plan('Cotnoso kettle', [
      word('cotnoso', 'cotnoso', 0, false),
      word('kettle', 'kettl', 2400, true),
      candidate('cotnoso', 'contoso', 'contoso', 8300),
      candidate('cotnoso', 'costco', 'costco', 9999),
    ]);
    expect(result).toEqual({
      text: 'contoso kettle',
      nameLexemes: ['kettl', 'contoso'],
      docs: 2400,
    });
  });

  it('leaves negated words out of the name walk and walks nothing for a disjunction', async () => {
    const negated = await plan('kettle -contoso', [
      word('kettle', 'kettl', 2400, true),
      word('contoso', 'contoso', 8300, true),
    ]);
    expect(negated.nameLexemes).toEqual(['kettl']);
    const or = await plan('kettle or blender', [
      word('kettle', 'kettl', 2400, true),
      word('or', null, 100000, false),
      word('blender', 'blender', 2300, true),
    ]);
    expect(or).toEqual({ text: 'kettle or blender', nameLexemes: [], docs: 4700 });
  });
});
