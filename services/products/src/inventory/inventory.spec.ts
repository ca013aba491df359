import { normaliseItems } from './inventory.service';

describe('reservation items', () => {
  it('adds up repeated products and sorts by product id (stable lock order)', () => {
    const a = 'aaaaaaaa-0000-4000-8000-000000000000';
    const b = 'BBBBBBBB-0000-4000-8000-000000000000';
    const c = 'cccccccc-0000-4000-8000-000000000000';
    expect(
      normaliseItems([
        { productId: c, quantity: 1 },
        { productId: b, quantity: 2 },
        { productId: a, quantity: 3 },
        { productId: b.toLowerCase(), quantity: 4 },
      ]),
    ).toEqual([
      { productId: a, quantity: 3 },
      { productId: b.toLowerCase(), quantity: 6 },
      { productId: c, quantity: 1 },
    ]);
  });
});
