import { NotificationStatus } from '@commerce/contracts';
import { EmailClaimStage, claimId, judgeClaim } from './notification-store';

describe('judgeClaim', () => {
  const now = 1_000_000;
  const lease = 60_000;
  const queued = { status: NotificationStatus.QUEUED, channel: 'email' as const };
  const running = {
    generation: 3,
    stage: EmailClaimStage.SENDING as EmailClaimStage,
    claimedAt: new Date(now - 1000),
  };

  it('reports a missing or finished notification', () => {
    expect(judgeClaim(null, null, now, lease)).toEqual({ kind: 'missing' });
    expect(judgeClaim({ ...queued, status: NotificationStatus.SENT }, running, now, lease)).toEqual(
      { kind: 'finished', status: 'SENT' },
    );
    expect(judgeClaim({ ...queued, channel: 'sms' }, null, now, lease)).toEqual({
      kind: 'not-email',
    });
  });

  it('lets the first claim, or the one after a released claim, be taken', () => {
    expect(judgeClaim(queued, null, now, lease)).toEqual({ kind: 'free', generation: 1 });
    expect(judgeClaim(queued, { ...running, stage: EmailClaimStage.RELEASED }, now, lease)).toEqual(
      { kind: 'free', generation: 4 },
    );
  });

  it('waits for a running claim until its lease ends, whatever its stage', () => {
    expect(judgeClaim(queued, running, now, lease)).toEqual({
      kind: 'held',
      until: now - 1000 + lease,
    });
    expect(judgeClaim(queued, { ...running, stage: EmailClaimStage.HANDOVER }, now, lease)).toEqual(
      { kind: 'held', until: now - 1000 + lease },
    );
  });

  it('takes over an expired claim that had not reached the hand-over', () => {
    const expired = { ...running, claimedAt: new Date(now - lease) };
    expect(judgeClaim(queued, expired, now, lease)).toEqual({ kind: 'free', generation: 4 });
  });

  it('counts an expired claim that reached the hand-over as sent', () => {
    const expired = {
      ...running,
      stage: EmailClaimStage.HANDOVER as EmailClaimStage,
      claimedAt: new Date(now - lease),
    };
    expect(judgeClaim(queued, expired, now, lease)).toEqual({ kind: 'handed-over' });
  });

  it('keys a claim by notification and generation', () => {
    expect(claimId({ notificationId: 'n-1', generation: 2 })).toBe('n-1#2');
  });
});
