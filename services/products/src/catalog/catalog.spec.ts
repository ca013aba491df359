import { slugify } from './catalog.service';

describe('category slugs', () => {
  it.each([
    ['Audio', 'audio'],
    ['Home & Kitchen', 'home-kitchen'],
    ['  Café Crème  ', 'cafe-creme'],
    ['!!!', 'category'],
  ])('%s -> %s', (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });
});
