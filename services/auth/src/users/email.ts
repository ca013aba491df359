/** The one form an email is stored and compared in: trimmed and lowercased. */
export function normaliseEmail(email: string): string {
  return email.normalize('NFC').trim().toLowerCase();
}
