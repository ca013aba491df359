import { PG_CHECK_VIOLATION, isUniqueViolation, pgErrorCode } from './pg-errors';

describe('pgErrorCode and isUniqueViolation', () => {
  it("read node-postgres' error and TypeORM's wrapper alike", () => {
    const pgError = Object.assign(new Error('duplicate key'), { code: '23505' });
    const queryFailed = Object.assign(new Error('duplicate key'), { driverError: pgError });
    expect(pgErrorCode(pgError)).toBe('23505');
    expect(pgErrorCode(queryFailed)).toBe('23505');
    expect(isUniqueViolation(pgError)).toBe(true);
    expect(isUniqueViolation(queryFailed)).toBe(true);
  });

  it('answer no for other errors and for what is not an error', () => {
    const check = { driverError: { code: PG_CHECK_VIOLATION } };
    expect(pgErrorCode(check)).toBe('23514');
    expect(isUniqueViolation(check)).toBe(false);
    for (const value of [undefined, null, 'x', 23505, new Error('x'), { code: 23505 }]) {
      expect(pgErrorCode(value)).toBeUndefined();
      expect(isUniqueViolation(value)).toBe(false);
    }
  });
});
