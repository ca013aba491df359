import { loadConfig } from '@commerce/nest-kit';
import { workerConfigSchema } from './config';

describe('worker config', () => {
  it('connects to the local server in the default namespace by default', () => {
    const config = loadConfig(workerConfigSchema, { NODE_ENV: 'development' });
    expect(config.TEMPORAL_ADDRESS).toBe('127.0.0.1:7233');
    expect(config.TEMPORAL_NAMESPACE).toBe('default');
    expect(config.TEMPORAL_TLS).toBeUndefined();
  });

  it('checks the Temporal connection at start, naming the variable', () => {
    expect(() =>
      loadConfig(workerConfigSchema, { TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'cloud-key' }),
    ).toThrow(/TEMPORAL_TLS: is false, but TEMPORAL_API_KEY need TLS/);
    expect(() => loadConfig(workerConfigSchema, { TEMPORAL_NAMESPACE: 'a b' })).toThrow(
      /TEMPORAL_NAMESPACE: expected a namespace name/,
    );
  });
});
