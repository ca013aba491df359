import type { z } from 'zod';

/**
 * Every secret and password the repository ships for development (`npm start`, the defaults of
 * the apps' configs): public by definition, so production refuses to start with any of them.
 */
export const DEVELOPMENT_SECRETS: ReadonlySet<string> = new Set([
  'dev-admin-password',
  'dev-activities-secret',
  'dev-payments-secret',
  'dev-workers-secret',
  'dev-notifications-secret',
  'dev-products-secret',
  'dev-campaign-unsubscribe-secret',
  'whsec_dev_commerce',
  'sk_test_123',
  'dev-metrics-token',
]);

/**
 * In production, adds an issue naming `variable` when `value` is a development secret. The path
 * may add a segment (e.g. `credentials`) so the value is redacted in the message.
 */
export function refuseDevelopmentSecret(
  ctx: z.RefinementCtx,
  nodeEnv: string,
  path: readonly string[],
  value: string | undefined,
): void {
  if (nodeEnv !== 'production' || value === undefined || !DEVELOPMENT_SECRETS.has(value)) return;
  ctx.addIssue({
    code: 'custom',
    path: [...path],
    message: 'is a development value (public in the repository); set a secret of its own',
  });
}
