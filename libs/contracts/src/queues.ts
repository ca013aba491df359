/** BullMQ queue names and job payloads shared by producers and the processes that work on them. */
export const QueueName = {
  /** Transactional email: one job per notification, job id = the notification's idempotency key. */
  email: 'email',
  /** Bulk campaign email (issue: campaigns). */
  campaign: 'campaign-email',
  /** Analytics events (issue: analytics). */
  analytics: 'analytics',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

/**
 * Prefix of every BullMQ key, so the queues of this project are easy to find in Redis. The braces
 * make it a Redis Cluster hash tag: BullMQ's scripts touch several keys of a queue at once, which
 * a cluster allows only within one hash slot (BullMQ's docs: `prefix: '{myprefix}'`).
 */
export const QUEUE_PREFIX = '{commerce}';

/**
 * The QUEUE_PREFIX without its hash-tag braces, for keys that carry their own hash tag (a
 * campaign's keys are tagged by campaign id, so campaigns spread over a cluster's slots).
 */
export function queueKeyspace(prefix: string): string {
  return prefix.replace(/[{}]/g, '');
}

/** Payload of an `email` job: the notification to deliver; the worker reads the rest from it. */
export interface EmailJobData {
  notificationId: string;
}
