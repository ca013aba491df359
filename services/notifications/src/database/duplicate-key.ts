/** MongoDB's (and FerretDB's) error code for an insert that hit a unique index. */
const DUPLICATE_KEY = 11000;

/** True when `error` is a write refused by a unique index (another writer got there first). */
export function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === DUPLICATE_KEY;
}
