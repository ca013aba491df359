import { Writable } from 'node:stream';
import { type BaseConfig, baseConfigSchema } from '../config/base-config';
import { loadConfig } from '../config/load-config';

/** A config for tests, from the same schema apps use. */
export function testConfig(overrides: Record<string, string> = {}): BaseConfig {
  return loadConfig(baseConfigSchema, {
    NODE_ENV: 'test',
    SERVICE_NAME: 'kit-test',
    PORT: '3999',
    LOG_LEVEL: 'info',
    ...overrides,
  });
}

/** Collects the JSON lines a logger writes, so tests can assert on them. */
export class LogCapture extends Writable {
  readonly lines: Record<string, unknown>[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim()) this.lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    callback();
  }
}
