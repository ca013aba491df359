import type { HttpAdapterHost } from '@nestjs/core';
import type { Logger } from 'pino';
import { testConfig } from '../testing/kit.test-helpers';
import { GracefulShutdownService } from './graceful-shutdown.service';

function setup(listening: boolean) {
  const server = { listening, closeAllConnections: jest.fn() };
  const adapterHost = {
    httpAdapter: { getHttpServer: () => server },
  } as unknown as HttpAdapterHost;
  const logger = { info: jest.fn(), warn: jest.fn() } as unknown as Logger;
  const service = new GracefulShutdownService(
    adapterHost,
    testConfig({ SHUTDOWN_GRACE_MS: '5000' }),
    logger,
  );
  return { server, service, logger };
}

describe('GracefulShutdownService', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('closes the remaining connections once SHUTDOWN_GRACE_MS has passed', () => {
    const { server, service } = setup(true);
    service.beforeApplicationShutdown('SIGTERM');
    jest.advanceTimersByTime(4999);
    expect(server.closeAllConnections).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(server.closeAllConnections).toHaveBeenCalledTimes(1);
  });

  it('does nothing more when the drain finished in time', () => {
    const { server, service } = setup(true);
    service.beforeApplicationShutdown('SIGTERM');
    service.onApplicationShutdown();
    jest.advanceTimersByTime(10_000);
    expect(server.closeAllConnections).not.toHaveBeenCalled();
  });

  it('is a no-op for an app that never listened (tests using inject)', () => {
    const { server, service, logger } = setup(false);
    service.beforeApplicationShutdown();
    jest.advanceTimersByTime(10_000);
    expect(server.closeAllConnections).not.toHaveBeenCalled();
    expect(logger.info).not.toHaveBeenCalled();
  });
});
