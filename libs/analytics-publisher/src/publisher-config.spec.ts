import { loadConfig } from '@commerce/nest-kit';
import { z } from 'zod';
import { analyticsPublisherEnv } from './publisher-config';

const schema = z.object(analyticsPublisherEnv);

describe('analyticsPublisherEnv', () => {
  it('publishes to the default queue prefix on REDIS_URL, with a short timeout', () => {
    const config = loadConfig(schema, {});
    expect(config).toEqual({
      QUEUE_PREFIX: '{commerce}',
      ANALYTICS_ENABLED: true,
      ANALYTICS_ENQUEUE_TIMEOUT_MS: 500,
    });
  });

  it('names a bad variable', () => {
    expect(() => loadConfig(schema, { ANALYTICS_ENABLED: 'maybe' })).toThrow(
      /ANALYTICS_ENABLED: expected true or false/,
    );
    expect(() => loadConfig(schema, { QUEUE_PREFIX: 'a:b' })).toThrow(/QUEUE_PREFIX/);
    expect(() => loadConfig(schema, { ANALYTICS_REDIS_URL: 'http://redis' })).toThrow(
      /ANALYTICS_REDIS_URL/,
    );
    expect(() => loadConfig(schema, { ANALYTICS_ENQUEUE_TIMEOUT_MS: '5' })).toThrow(
      /ANALYTICS_ENQUEUE_TIMEOUT_MS/,
    );
  });
});
