export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

const CLASSES: readonly [string, RegExp][] = [
  ['lowercase letters', /\p{Ll}/u],
  ['uppercase letters', /\p{Lu}/u],
  ['digits', /\p{Nd}/u],
  ['symbols or spaces', /[^\p{Ll}\p{Lu}\p{Nd}]/u],
];

/**
 * What a new password must satisfy; returns the broken rules as messages naming `password`
 * (empty when it is acceptable). Length counts characters (code points), not UTF-16 units.
 */
export function passwordPolicyViolations(password: string, email: string): string[] {
  const violations: string[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
    violations.push(
      `password must be between ${PASSWORD_MIN_LENGTH} and ${PASSWORD_MAX_LENGTH} characters long`,
    );
  }
  const present = CLASSES.filter(([, pattern]) => pattern.test(password)).length;
  if (length > 0 && present < 2) {
    violations.push(
      'password must mix at least two of: lowercase letters, uppercase letters, digits, symbols',
    );
  }
  const lowered = password.trim().toLowerCase();
  const normalisedEmail = email.trim().toLowerCase();
  const localPart = normalisedEmail.split('@')[0] ?? '';
  if (lowered === normalisedEmail || (localPart.length > 0 && lowered === localPart)) {
    violations.push('password must not be the email address');
  }
  return violations;
}
