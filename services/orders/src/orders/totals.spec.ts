import { lineTotal, orderTotal } from './totals';

describe('totals in integer minor units', () => {
  it('multiplies and sums exactly', () => {
    expect(lineTotal({ unitPrice: 1999, quantity: 3 })).toBe(5997);
    expect(
      orderTotal([
        { unitPrice: 1250, quantity: 3 },
        { unitPrice: 299, quantity: 2 },
        { unitPrice: 0, quantity: 5 },
      ]),
    ).toBe(4348);
    expect(orderTotal([])).toBe(0);
  });

  it('has none of the float drift of decimal prices', () => {
    // 0.1 + 0.2 style prices: 10 + 20 minor units is exactly 30.
    expect(
      orderTotal([
        { unitPrice: 10, quantity: 1 },
        { unitPrice: 20, quantity: 1 },
      ]),
    ).toBe(30);
    expect(lineTotal({ unitPrice: 33, quantity: 3 })).toBe(99);
  });

  it.each([
    [{ unitPrice: 1.5, quantity: 1 }],
    [{ unitPrice: -1, quantity: 1 }],
    [{ unitPrice: 100, quantity: 0 }],
    [{ unitPrice: 100, quantity: 2.5 }],
    [{ unitPrice: Number.NaN, quantity: 1 }],
  ])('refuses %j', (line) => {
    expect(() => lineTotal(line)).toThrow(RangeError);
  });

  it('refuses totals beyond safe integers instead of rounding', () => {
    const huge = { unitPrice: Number.MAX_SAFE_INTEGER, quantity: 2 };
    expect(() => lineTotal(huge)).toThrow(RangeError);
    const half = { unitPrice: Math.floor(Number.MAX_SAFE_INTEGER / 2) + 1, quantity: 1 };
    expect(() => orderTotal([half, half])).toThrow(RangeError);
  });
});
