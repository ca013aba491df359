import { ChildApp, buildProject, freePort, testEndpoints } from '@commerce/testing';

/** Builds this package, so the tests below run the processors' real process from its build. */
export const buildNotifications = (): Promise<void> => buildProject('@commerce/notifications');

/**
 * The notifications queue processors as their own process (`dist/processors.main.js`) on a test
 * file's database and queue prefix (in `env`), sending to mailpit unless `env` says otherwise.
 */
export async function startProcessors(env: Record<string, string>): Promise<ChildApp> {
  return ChildApp.start({
    name: 'notification-processors',
    dir: 'services/notifications',
    main: 'dist/processors.main.js',
    port: await freePort(),
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      REDIS_URL: testEndpoints.redisUrl,
      SMTP_URL: `smtp://${testEndpoints.smtp.host}:${testEndpoints.smtp.port}`,
      MAIL_FROM: 'Commerce Tests <no-reply@commerce.test>',
      ...env,
    },
    healthPath: '/health',
    startTimeoutMs: 20_000,
  });
}
