import { Controller, Get, Module, Query } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { testConfig } from '../testing/kit.test-helpers';
import { createApp } from './create-app';
import { listen } from './listen';

// Resolves when the slow handler has started, so the test closes the app mid-request.
let started: () => void = () => undefined;

@Controller('slow')
class SlowController {
  @Get()
  async slow(@Query('ms') ms: string): Promise<{ waited: number }> {
    started();
    // Unref'd: a request cut by the test must not keep Jest waiting for its timer.
    await new Promise((resolve) => setTimeout(resolve, Number(ms)).unref());
    return { waited: Number(ms) };
  }
}

@Module({ controllers: [SlowController] })
class SlowModule {}

async function boot(graceMs: number): Promise<{ app: NestFastifyApplication; url: string }> {
  const app = await createApp(SlowModule, {
    config: testConfig({ LOG_LEVEL: 'silent', SHUTDOWN_GRACE_MS: String(graceMs) }),
    metrics: { defaultMetrics: false },
    openApi: false,
    shutdownHooks: false,
  });
  const { url } = await listen(app, { host: '127.0.0.1', port: 0 });
  return { app, url };
}

function requestStarted(): Promise<void> {
  return new Promise((resolve) => {
    started = resolve;
  });
}

describe('graceful shutdown over real sockets', () => {
  it('lets an in-flight request finish and refuses new connections', async () => {
    const { app, url } = await boot(5000);
    const arrived = requestStarted();
    const inFlight = fetch(`${url}/slow?ms=400`);
    await arrived;
    const began = Date.now();
    const closing = app.close();
    await sleep(50);
    const late = await fetch(`${url}/slow?ms=0`).then(
      (res) => res.status,
      () => 'refused',
    );
    // The listening socket is closed, or a kept-alive connection gets Fastify's 503.
    expect([503, 'refused']).toContain(late);
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ waited: 400 });
    await closing;
    // Done when the request is, not when the 5 s grace period runs out.
    expect(Date.now() - began).toBeLessThan(2500);
  });

  it('cuts requests still running after SHUTDOWN_GRACE_MS', async () => {
    const { app, url } = await boot(200);
    const arrived = requestStarted();
    const stuck = fetch(`${url}/slow?ms=5000`).then(
      () => 'answered',
      () => 'cut',
    );
    await arrived;
    const began = Date.now();
    await app.close();
    const elapsed = Date.now() - began;
    expect(await stuck).toBe('cut');
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(elapsed).toBeLessThan(2000);
  });
});
