import {
  applyCorrections,
  chooseCorrections,
  searchWords,
  typoBudget,
  typoDistance,
} from './typo-correction';

describe('typoBudget', () => {
  it.each([
    ['tent', 0],
    ['lamp', 0],
    ['kettle', 1],
    ['backpack', 1],
    ['headphones', 2],
    ['smartwatch', 2],
  ])('%s may carry %d typos', (word, budget) => {
    expect(typoBudget(word)).toBe(budget);
  });
});

describe('typoDistance', () => {
  it.each([
    ['contoso', 'contoso', 0],
    ['cotnoso', 'contoso', 1], // a transposition is one typo
    ['bakcpack', 'backpack', 1],
    ['kettel', 'kettle', 1],
    ['ketle', 'kettle', 1], // deletion
    ['kettlle', 'kettle', 1], // insertion
    ['kettke', 'kettle', 1], // substitution
    ['headphnoes', 'headphones', 1],
    ['hedphnoes', 'headphones', 2],
  ])('%s -> %s is %d', (a, b, distance) => {
    expect(typoDistance(a, b, 2)).toBe(distance);
  });

  it('stops at max + 1 once the words are further apart', () => {
    expect(typoDistance('kettle', 'blender', 1)).toBe(2);
    expect(typoDistance('a', 'abcdef', 2)).toBe(3);
  });
});

describe('chooseCorrections', () => {
  it('takes the nearest word, then the more common one', () => {
    const chosen = chooseCorrections(
      ['cotnoso', 'kettel'],
      [
        { word: 'cotnoso', term: 'contoso', docs: 10 },
        { word: 'cotnoso', term: 'coffee', docs: 500 },
        { word: 'kettel', term: 'kettle', docs: 3 },
        { word: 'kettel', term: 'kettles', docs: 900 },
      ],
    );
    expect(Object.fromEntries(chosen)).toEqual({ cotnoso: 'contoso', kettel: 'kettle' });
  });

  it('prefers the more common of two words at the same distance', () => {
    const chosen = chooseCorrections(
      ['lampz'],
      [
        { word: 'lampz', term: 'lamps', docs: 5 },
        { word: 'lampz', term: 'lamp', docs: 50 },
      ],
    );
    expect(chosen.get('lampz')).toBe('lamp');
  });

  it('leaves short words, known words and words beyond the budget alone', () => {
    const chosen = chooseCorrections(
      ['tnet', 'kettle', 'kteelt'],
      [
        { word: 'tnet', term: 'tent', docs: 10 },
        { word: 'kettle', term: 'kettle', docs: 10 },
        { word: 'kettle', term: 'kettles', docs: 99 },
        { word: 'kteelt', term: 'kettle', docs: 10 },
      ],
    );
    expect(chosen.size).toBe(0);
  });
});

describe('applyCorrections', () => {
  it('rewrites only the misspelt words and keeps the rest of the text', () => {
    const words = searchWords('Cotnoso "smart KETTEL" -red');
    expect(words).toEqual(['cotnoso', 'smart', 'kettel', 'red']);
    const result = applyCorrections(
      'Cotnoso "smart KETTEL" -red',
      new Map([
        ['cotnoso', 'contoso'],
        ['kettel', 'kettle'],
      ]),
    );
    expect(result).toEqual({
      text: 'contoso "smart kettle" -red',
      corrections: [
        { from: 'Cotnoso', to: 'contoso' },
        { from: 'KETTEL', to: 'kettle' },
      ],
    });
  });

  it('says nothing changed when there is nothing to correct', () => {
    expect(applyCorrections('kettle', new Map())).toBeUndefined();
  });
});
