import { createServer, Server } from 'node:net';
import { Component } from './components';
import { InfraError, startInfra } from './infra';
import { readRegistry } from './processes';

/**
 * The launcher's failure paths, with stand-in components (node one-liners) instead of the real
 * servers, so each failure can be provoked: every one must give one clear message and leave no
 * process behind.
 */
const node = process.execPath;

function fake(
  name: string,
  script: string,
  probe: () => Promise<boolean>,
  readyTimeoutSec = 2,
): Component {
  return {
    name,
    ports: [],
    urls: {},
    probe,
    readyTimeoutSec,
    launch: () => ({ tool: 'temporal', bin: node, args: ['-e', script] }),
  };
}

const pidsOf = (prefix: string) =>
  readRegistry()
    .filter((e) => e.name.startsWith(prefix))
    .map((e) => e.pid);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('infra launcher failure handling', () => {
  it('names the missing tool and the command that builds it', async () => {
    const missing: Component = {
      name: 'fake-missing',
      ports: [],
      urls: {},
      probe: () => Promise.resolve(false),
      launch: () => ({ tool: 'ferretdb', bin: '/nonexistent/ferretdb', args: [] }),
    };
    await expect(startInfra({ components: [missing] })).rejects.toThrow(
      new InfraError(
        'ferretdb is not built (/nonexistent/ferretdb missing): run npm run tools:install',
      ),
    );
  });

  it('refuses a port taken by another program instead of reusing it', async () => {
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const port = (squatter.address() as { port: number }).port;
    try {
      const component = { ...fake('fake-port', '', () => Promise.resolve(false)), ports: [port] };
      await expect(startInfra({ components: [component] })).rejects.toThrow(
        `port ${port} is taken by another program that is not fake-port`,
      );
    } finally {
      squatter.close();
    }
  });

  it('reports a server that exits during start-up, with its log', async () => {
    const crashing = fake('fake-crash', 'console.error("bad flag --nope"); process.exit(3)', () =>
      Promise.resolve(false),
    );
    await expect(startInfra({ components: [crashing] })).rejects.toThrow(
      /fake-crash exited during start-up; last lines of .*fake-crash\.log:\n(.|\n)*bad flag --nope/,
    );
    expect(pidsOf('fake-crash')).toEqual([]);
  });

  it('stops everything it started when one part never answers', async () => {
    let started = false;
    const healthy = fake('fake-ok', 'setInterval(() => {}, 1000)', () => Promise.resolve(started));
    const hanging = fake(
      'fake-hang',
      'setInterval(() => {}, 1000)',
      () => Promise.resolve(false),
      1,
    );
    // `healthy` answers once launched; `hanging` never does.
    const launchHealthy = healthy.launch!;
    healthy.launch = () => {
      started = true;
      return launchHealthy();
    };
    const seen: number[] = [];
    const spy = (line: string) => {
      const m = /pid (\d+)/.exec(line);
      if (m) seen.push(Number(m[1]));
    };

    const attempt = startInfra({ components: [healthy, hanging], log: spy });
    await expect(attempt).rejects.toThrow(/fake-hang did not answer within 1s/);

    expect(pidsOf('fake-')).toEqual([]);
    for (const pid of seen) expect(alive(pid)).toBe(false);
  });

  it('reuses a component that already answers and starts nothing', async () => {
    const running = fake('fake-running', 'process.exit(1)', () => Promise.resolve(true));
    await expect(startInfra({ components: [running] })).resolves.toEqual({
      started: [],
      reused: ['fake-running'],
    });
  });
});
