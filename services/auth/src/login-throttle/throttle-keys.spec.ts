import { assertOneSlot } from '@commerce/nest-kit';
import { attemptKeys } from './login-throttle.service';

describe('login throttle keys on a Redis Cluster', () => {
  it('puts every key of an attempt in one hash slot (they move together in one MULTI)', () => {
    const user = attemptKeys('auth:{throttle}:', { kind: 'user', email: 'a@b.test' }, '10.0.0.1');
    expect(Object.keys(user)).toHaveLength(6);
    expect(() => assertOneSlot('login throttle', Object.values(user))).not.toThrow();
    const other = attemptKeys('auth:{throttle}:', { kind: 'user', email: 'c@d.test' }, '10.0.0.9');
    const service = attemptKeys('auth:{throttle}:', { kind: 'service', clientId: 'x' }, '::1');
    expect(() =>
      assertOneSlot('login throttle', [
        ...Object.values(user),
        ...Object.values(other),
        service.ip,
      ]),
    ).not.toThrow();
  });
});
