import type { INestApplication } from '@nestjs/common';
import { PortInUseError, listen } from './listen';

// A stand-in for the app: these tests are about listen()'s error handling, not about sockets.
function fakeApp(listenImpl: () => Promise<unknown>, port = 4321): INestApplication {
  return {
    listen: jest.fn(listenImpl),
    getHttpServer: () => ({ address: () => ({ address: '127.0.0.1', family: 'IPv4', port }) }),
  } as unknown as INestApplication;
}

describe('listen', () => {
  it('turns EADDRINUSE into one clear message', async () => {
    const inUse = Object.assign(new Error('listen EADDRINUSE: address already in use'), {
      code: 'EADDRINUSE',
    });
    const app = fakeApp(() => Promise.reject(inUse));
    const attempt = listen(app, { HOST: '127.0.0.1', PORT: 3000 });
    await expect(attempt).rejects.toBeInstanceOf(PortInUseError);
    await expect(attempt).rejects.toThrow(
      'port 3000 on 127.0.0.1 is already in use by another process',
    );
    await expect(attempt).rejects.toMatchObject({ cause: inUse });
  });

  it('passes other errors through', async () => {
    const denied = Object.assign(new Error('listen EACCES'), { code: 'EACCES' });
    await expect(
      listen(
        fakeApp(() => Promise.reject(denied)),
        { host: '127.0.0.1', port: 80 },
      ),
    ).rejects.toBe(denied);
  });

  it('reports the bound port, which differs from the requested 0', async () => {
    const app = fakeApp(() => Promise.resolve(undefined), 51234);
    await expect(listen(app, { host: '127.0.0.1', port: 0 })).resolves.toEqual({
      host: '127.0.0.1',
      port: 51234,
      url: 'http://127.0.0.1:51234',
    });
    expect(app.listen).toHaveBeenCalledWith(0, '127.0.0.1');
  });

  it('brackets IPv6 hosts in the URL', async () => {
    const app = fakeApp(() => Promise.resolve(undefined), 3000);
    await expect(listen(app, { host: '::1', port: 3000 })).resolves.toMatchObject({
      url: 'http://[::1]:3000',
    });
  });
});
