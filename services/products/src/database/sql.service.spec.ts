import { StatementNames } from './sql.service';

describe('StatementNames', () => {
  it('names each distinct statement once, the same name every time', () => {
    const names = new StatementNames(3);
    const first = names.nameOf('select 1');
    expect(first).toBeDefined();
    expect(names.nameOf('select 2')).not.toBe(first);
    expect(names.nameOf('select 1')).toBe(first);
  });

  it('stops naming new texts at its bound, so connections prepare a bounded set', () => {
    const names = new StatementNames(2);
    const a = names.nameOf('select 1');
    const b = names.nameOf('select 2');
    expect(names.nameOf('select 3')).toBeUndefined();
    expect([names.nameOf('select 1'), names.nameOf('select 2')]).toEqual([a, b]);
  });
});
