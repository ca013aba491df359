import { createHash } from 'node:crypto';

/**
 * The BullMQ job id of a notification's email, derived from its idempotency key, so every hand-over
 * of one notification (a repeated request, the requeue sweep) names the same job and BullMQ keeps
 * one. BullMQ refuses custom ids that are integers ("42") or contain ':' (which keys may), so the
 * key is hashed (SHA-256, 160 bits kept) behind a prefix: fixed length, one alphabet, never numeric.
 */
export function emailJobId(idempotencyKey: string): string {
  const digest = createHash('sha256').update(idempotencyKey, 'utf8').digest('hex');
  return `email-${digest.slice(0, 40)}`;
}
