import { Module } from '@nestjs/common';
import { baseConfigSchema } from '../config/base-config';
import { runService } from './run-service';

@Module({})
class EmptyModule {}

describe('runService', () => {
  let stderr: jest.SpyInstance;
  const exitCode = process.exitCode;

  beforeEach(() => {
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });

  afterEach(() => {
    stderr.mockRestore();
    process.exitCode = exitCode;
  });

  it('prints one line naming the bad variables and sets exit code 1', async () => {
    const app = await runService({
      schema: baseConfigSchema,
      module: EmptyModule,
      env: { SERVICE_NAME: 'orders', PORT: 'abc' },
    });
    expect(app).toBeUndefined();
    expect(process.exitCode).toBe(1);
    expect(stderr).toHaveBeenCalledTimes(1);
    expect(stderr).toHaveBeenCalledWith(
      'failed to start: Invalid configuration: PORT: expected a number between 1 and 65535, got "abc"\n',
    );
  });
});
