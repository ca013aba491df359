import { ChildApp, buildProject, freePort, testEndpoints } from '@commerce/testing';

/** Builds the workers app, so the tests below run the real process from its build. */
export const buildWorkers = (): Promise<void> => buildProject('@commerce/workers');

/** The workers process (`services/workers/dist/main.js`) on this file's database and queue. */
export async function startWorkers(env: Record<string, string>): Promise<ChildApp> {
  return ChildApp.start({
    name: 'workers',
    dir: 'services/workers',
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
