import { EmailClaimStage, NotificationStatus } from '@commerce/contracts';
import { judgeUnclaimable } from './notification-store';

describe('judgeUnclaimable', () => {
  const now = 1_000_000;
  const lease = 60_000;
  const queued = {
    status: NotificationStatus.QUEUED,
    channel: 'email' as const,
    claimToken: 'other',
    claimStage: EmailClaimStage.SENDING,
    claimedAt: new Date(now - 1000),
  };

  it('reports a missing or finished notification', () => {
    expect(judgeUnclaimable(null, now, lease)).toEqual({ kind: 'missing' });
    expect(judgeUnclaimable({ ...queued, status: NotificationStatus.SENT }, now, lease)).toEqual({
      kind: 'finished',
      status: 'SENT',
    });
    expect(judgeUnclaimable({ ...queued, channel: 'sms' }, now, lease)).toEqual({
      kind: 'not-email',
    });
  });

  it('waits for a running claim until its lease ends, whatever its stage', () => {
    expect(judgeUnclaimable(queued, now, lease)).toEqual({
      kind: 'held',
      until: now - 1000 + lease,
    });
    expect(
      judgeUnclaimable({ ...queued, claimStage: EmailClaimStage.HANDOVER }, now, lease),
    ).toEqual({ kind: 'held', until: now - 1000 + lease });
  });

  it('counts an expired claim that reached the hand-over as sent', () => {
    const expired = {
      ...queued,
      claimStage: EmailClaimStage.HANDOVER,
      claimedAt: new Date(now - lease),
    };
    expect(judgeUnclaimable(expired, now, lease)).toEqual({ kind: 'handed-over', token: 'other' });
  });

  it('looks again at once when the claim vanished in between', () => {
    expect(judgeUnclaimable({ ...queued, claimToken: null, claimedAt: null }, now, lease)).toEqual({
      kind: 'held',
      until: now,
    });
  });
});
