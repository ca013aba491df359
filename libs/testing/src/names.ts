import { randomUUID } from 'node:crypto';

/** A name no other test (or earlier run) uses, safe for database, queue and key names. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}
