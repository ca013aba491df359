import {
  Endpoint,
  mailpitUrl,
  mongoUrl,
  postgresUrl,
  stripeMockUrl,
  temporalAddress,
} from '@commerce/tools';

/** Where the integration tests find the real servers the harness started or reused. */
export const testEndpoints = {
  temporalAddress,
  postgresUrl,
  redisUrl: `redis://${Endpoint.redis.host}:${Endpoint.redis.port}`,
  mongoUrl,
  stripeMockUrl,
  mailpitUrl,
  smtp: { host: Endpoint.mailpit.host, port: Endpoint.mailpit.smtpPort },
} as const;
