import { localeCandidates } from './locale';

describe('localeCandidates', () => {
  it.each([
    [undefined, ['en']],
    ['en', ['en']],
    ['de', ['de', 'en']],
    ['de-AT', ['de-AT', 'de', 'en']],
    ['DE-at', ['de-AT', 'de', 'en']],
    ['en-GB', ['en-GB', 'en']],
    ['zh-Hant-TW', ['zh-Hant-TW', 'zh-Hant', 'zh', 'en']],
    ['not a tag!', ['en']],
  ])('%s -> %j', (requested, expected) => {
    expect(localeCandidates(requested)).toEqual(expected);
  });
});
