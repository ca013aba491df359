import { campaignJobId } from './campaign-job-id';

describe('campaignJobId', () => {
  it('is stable per campaign and user, and differs otherwise', () => {
    const a = campaignJobId('c1', 'u1');
    expect(a).toMatch(/^campaign-[0-9a-f]{40}$/);
    expect(campaignJobId('c1', 'u1')).toBe(a);
    expect(campaignJobId('c1', 'u2')).not.toBe(a);
    expect(campaignJobId('c2', 'u1')).not.toBe(a);
    expect(a).not.toContain(':');
  });
});
