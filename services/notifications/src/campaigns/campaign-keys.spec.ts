import { QUEUE_PREFIX, QueueName } from '@commerce/contracts';
import { assertOneSlot, redisHashSlot } from '@commerce/nest-kit';
import { campaignKeys, campaignSuppressionKey } from './campaign-keys';

describe('campaign keys on a Redis Cluster', () => {
  it.each([QUEUE_PREFIX, 'shop'])('keeps one campaign in one slot under %s', (prefix) => {
    const keys = campaignKeys(prefix, 'c-1');
    // Every script call and the expiry MULTI take a subset of these.
    expect(() => assertOneSlot('campaign', Object.values(keys))).not.toThrow();
  });

  it('tags keys by campaign, not by the prefix, so campaigns spread over the slots', () => {
    const a = campaignKeys(QUEUE_PREFIX, 'c-1').status;
    const b = campaignKeys(QUEUE_PREFIX, 'c-2').status;
    expect(a).toBe('commerce:campaign:{c-1}:status');
    expect(redisHashSlot(a)).not.toBe(redisHashSlot(b));
  });

  it('keeps the key names of the bare prefix, so a running campaign survives the braces', () => {
    expect(campaignKeys('{commerce}', 'c-1')).toEqual(campaignKeys('commerce', 'c-1'));
    expect(campaignSuppressionKey('{commerce}')).toBe('commerce:campaign:suppressed');
  });

  it('puts every BullMQ key of every queue in the slot of the default prefix', () => {
    // BullMQ names its keys `<prefix>:<queue>:<suffix>`.
    const keys = Object.values(QueueName).flatMap((queue) =>
      ['wait', 'active', 'meta', 'id', 'events', '42'].map((s) => `${QUEUE_PREFIX}:${queue}:${s}`),
    );
    expect(() => assertOneSlot('bullmq', keys)).not.toThrow();
    expect(redisHashSlot(keys[0]!)).toBe(redisHashSlot('commerce'));
  });
});
