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

/** Prefix of every BullMQ key, so the queues of this project are easy to find in Redis. */
export const QUEUE_PREFIX = 'commerce';

/** Payload of an `email` job: the notification to deliver; the worker reads the rest from it. */
export interface EmailJobData {
  notificationId: string;
}
