/** A machine client allowed to obtain SERVICE tokens with the client-credentials grant. */
export interface ServiceAccount {
  readonly clientId: string;
  readonly secret: string;
}

export type ServiceAccountsParse =
  | { readonly ok: true; readonly accounts: readonly ServiceAccount[] }
  | { readonly ok: false; readonly problem: string };

const CLIENT_ID = /^[a-z][a-z0-9-]{1,62}$/;
export const MIN_SECRET_LENGTH = 16;

/**
 * `activities:<secret>,workers:<secret>` -> accounts. Problems name the entry by position and
 * client id, never the secret.
 */
export function parseServiceAccounts(raw: string): ServiceAccountsParse {
  const accounts: ServiceAccount[] = [];
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  for (const [index, entry] of entries.entries()) {
    const separator = entry.indexOf(':');
    const clientId = separator === -1 ? '' : entry.slice(0, separator);
    const secret = separator === -1 ? '' : entry.slice(separator + 1);
    const position = `entry ${index + 1}`;
    if (!CLIENT_ID.test(clientId)) {
      return {
        ok: false,
        problem: `${position}: expected <clientId>:<secret> with a lowercase client id such as "activities"`,
      };
    }
    if (secret.length < MIN_SECRET_LENGTH) {
      return {
        ok: false,
        problem: `${position} (${clientId}): the secret must be at least ${MIN_SECRET_LENGTH} characters`,
      };
    }
    if (accounts.some((account) => account.clientId === clientId)) {
      return { ok: false, problem: `${position}: client id "${clientId}" is listed twice` };
    }
    accounts.push({ clientId, secret });
  }
  return { ok: true, accounts };
}
