import { boardCookieToken } from './board-session';

describe('boardCookieToken', () => {
  it('finds the board cookie among others', () => {
    expect(boardCookieToken('a=1; commerce_board=abc.def.ghi; b=2')).toBe('abc.def.ghi');
    expect(boardCookieToken('commerce_board=x=y')).toBe('x=y');
  });

  it('is undefined without the cookie or with an empty one', () => {
    expect(boardCookieToken(undefined)).toBeUndefined();
    expect(boardCookieToken('other=1')).toBeUndefined();
    expect(boardCookieToken('commerce_board=')).toBeUndefined();
    expect(boardCookieToken('xcommerce_board=1')).toBeUndefined();
  });
});
