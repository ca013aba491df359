/** Task queues: one for workflows, one per activity domain, so each worker role scales alone. */
export const TaskQueue = {
  checkout: 'checkout',
  inventory: 'inventory',
  payments: 'payments',
  orders: 'orders',
  notifications: 'notifications',
  /** The order outcomes the checkout hands to the analytics service. */
  analytics: 'analytics',
} as const;
export type TaskQueue = (typeof TaskQueue)[keyof typeof TaskQueue];

/**
 * The name of a task queue under a prefix. Every process of one deployment uses the same prefix
 * (TEMPORAL_TASK_QUEUE_PREFIX, empty by default), so several deployments or test runs can share one
 * Temporal namespace without picking up each other's tasks.
 */
export function taskQueueName(queue: TaskQueue, prefix = ''): string {
  return `${prefix}${queue}`;
}

/**
 * The prefix a checkout runs under, read from the task queue it was started on: the workflow
 * schedules its activities on the queues with the same prefix. A queue not named `<prefix>checkout`
 * (a test's own queue) has no prefix.
 */
export function taskQueuePrefixOf(checkoutQueue: string): string {
  return checkoutQueue.endsWith(TaskQueue.checkout)
    ? checkoutQueue.slice(0, -TaskQueue.checkout.length)
    : '';
}
