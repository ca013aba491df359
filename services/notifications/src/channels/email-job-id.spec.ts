import { emailJobId } from './email-job-id';

describe('emailJobId', () => {
  it('is stable per key and differs between keys', () => {
    expect(emailJobId('order-confirmed:42')).toBe(emailJobId('order-confirmed:42'));
    expect(emailJobId('order-confirmed:42')).not.toBe(emailJobId('order-confirmed:43'));
  });

  it('obeys BullMQ custom id rules for any key: no ":" and never an integer', () => {
    for (const key of ['42', '0', 'a:b:c', 'checkout:123:notify', '-1', 'x'.repeat(128)]) {
      const id = emailJobId(key);
      expect(id).toMatch(/^email-[0-9a-f]{40}$/);
      expect(id).not.toContain(':');
      expect(`${parseInt(id, 10)}`).not.toBe(id);
    }
  });
});
