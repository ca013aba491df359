import { isStorableData, recipientProblem } from './notifications.dto';

describe('recipientProblem', () => {
  it.each([
    ['email', 'ada@example.com', undefined],
    ['email', 'not-an-address', 'to must be an email address for the email channel'],
    ['sms', '+4915112345678', undefined],
    ['sms', '015112345678', expect.stringContaining('E.164')],
    ['push', 'fcm-token-0123456789', undefined],
    ['push', 'short', expect.stringContaining('device token')],
    ['fax', 'anything', undefined],
  ])('%s %s', (channel, to, expected) => {
    expect(recipientProblem(channel, to)).toEqual(expected);
  });
});

describe('isStorableData', () => {
  it('accepts plain JSON', () => {
    expect(isStorableData({ a: 1, b: [{ c: 'x' }], d: null })).toBe(true);
  });

  it('refuses operator-like keys, dotted keys and deep nesting', () => {
    expect(isStorableData({ $where: 'x' })).toBe(false);
    expect(isStorableData({ items: [{ 'a.b': 1 }] })).toBe(false);
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 12; i++) deep = { deep };
    expect(isStorableData(deep)).toBe(false);
  });
});
