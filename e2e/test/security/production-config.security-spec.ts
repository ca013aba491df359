import { REPO_ROOT } from '@commerce/testing';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { join } from 'node:path';

/**
 * With NODE_ENV=production every app refuses to start with a development value: each case starts
 * the built app with an otherwise complete production environment plus one development value, and
 * expects exit code 1 with exactly one line naming that variable (and never the value).
 */
describe('security: production refuses development secrets', () => {
  const secret = () => randomBytes(24).toString('base64url');
  const signingKey = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();

  const production: Record<string, Record<string, string>> = {
    'services/auth': {
      AUTH_SIGNING_KEY: signingKey,
      SUPER_ADMIN_EMAIL: 'root@example.test',
      SUPER_ADMIN_PASSWORD: secret(),
      SERVICE_ACCOUNTS: `activities:${secret()},notifications:${secret()}`,
    },
    'services/payments': {
      PAYMENT_PROVIDER: 'stripe',
      STRIPE_SECRET_KEY: `sk_live_${secret()}`,
      STRIPE_WEBHOOK_SECRET: `whsec_${secret()}`,
      SERVICE_CLIENT_SECRET: secret(),
    },
    'services/notifications': {
      SERVICE_CLIENT_SECRET: secret(),
      CAMPAIGN_UNSUBSCRIBE_SECRET: secret(),
    },
    temporal: { SERVICE_CLIENT_SECRET: secret() },
    gateway: { METRICS_TOKEN: secret() },
  };

  const cases: { app: string; variable: string; env: Record<string, string | undefined> }[] = [
    {
      app: 'services/auth',
      variable: 'SUPER_ADMIN_PASSWORD',
      env: { SUPER_ADMIN_PASSWORD: 'dev-admin-password' },
    },
    {
      app: 'services/auth',
      variable: 'SERVICE_ACCOUNTS.activities.credentials',
      env: { SERVICE_ACCOUNTS: `activities:dev-activities-secret,notifications:${secret()}` },
    },
    // Generated signing keys: production has to be given its key.
    { app: 'services/auth', variable: 'AUTH_SIGNING_KEY', env: { AUTH_SIGNING_KEY: undefined } },
    {
      app: 'services/payments',
      variable: 'STRIPE_WEBHOOK_SECRET',
      env: { STRIPE_WEBHOOK_SECRET: 'whsec_dev_commerce' },
    },
    {
      app: 'services/payments',
      variable: 'SERVICE_CLIENT_SECRET',
      env: { SERVICE_CLIENT_SECRET: 'dev-payments-secret' },
    },
    {
      app: 'services/payments',
      variable: 'STRIPE_SECRET_KEY',
      env: { STRIPE_SECRET_KEY: 'sk_test_123' },
    },
    {
      app: 'services/notifications',
      variable: 'SERVICE_CLIENT_SECRET',
      env: { SERVICE_CLIENT_SECRET: undefined },
    },
    {
      app: 'services/notifications',
      variable: 'CAMPAIGN_UNSUBSCRIBE_SECRET',
      env: { CAMPAIGN_UNSUBSCRIBE_SECRET: 'dev-campaign-unsubscribe-secret' },
    },
    {
      app: 'temporal',
      variable: 'SERVICE_CLIENT_SECRET',
      env: { SERVICE_CLIENT_SECRET: 'dev-activities-secret' },
    },
    { app: 'gateway', variable: 'METRICS_TOKEN', env: { METRICS_TOKEN: 'dev-metrics-token' } },
  ];

  it.each(cases)('$app refuses $variable', ({ app, variable, env }) => {
    const merged: Record<string, string | undefined> = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      LOG_LEVEL: 'error',
      ...production[app],
      ...env,
    };
    const run = spawnSync(process.execPath, [join(REPO_ROOT, app, 'dist', 'main.js')], {
      env: Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)),
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    const lines = run.stderr.split('\n').filter((line) => line.includes('Invalid configuration'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`Invalid configuration: ${variable}:`);
    for (const value of Object.values(env)) if (value) expect(run.stderr).not.toContain(value);
  });
});
