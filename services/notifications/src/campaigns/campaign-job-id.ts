import { createHash } from 'node:crypto';

/**
 * The BullMQ job id of one recipient of a campaign, derived from `<campaignId>:<userId>`, so a
 * retried or resumed fan-out names the same job and BullMQ keeps one. BullMQ refuses ':' in
 * custom ids, so the pair is hashed (SHA-256, 160 bits kept) behind a prefix.
 */
export function campaignJobId(campaignId: string, userId: string): string {
  const digest = createHash('sha256').update(`${campaignId}:${userId}`, 'utf8').digest('hex');
  return `campaign-${digest.slice(0, 40)}`;
}
