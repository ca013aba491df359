import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { PageQueryDto } from './page-query.dto';

describe('DecimalInt (page and limit)', () => {
  const errorsFor = (query: Record<string, string>) =>
    validateSync(plainToInstance(PageQueryDto, query)).map((e) => e.property);

  it('takes plain decimal integers', () => {
    expect(errorsFor({ page: '2', limit: '50' })).toEqual([]);
    expect(plainToInstance(PageQueryDto, { limit: '50' }).limit).toBe(50);
  });

  it('refuses what Number() would quietly accept', () => {
    for (const limit of ['0x10', '1e1', ' 5', '1.0', '', '0b1']) {
      expect({ limit, errors: errorsFor({ limit }) }).toEqual({ limit, errors: ['limit'] });
    }
  });
});
