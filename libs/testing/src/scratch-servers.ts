import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { mailpitArgs, toolBinary } from '@commerce/tools';
import { freePort } from './child-app';

const HOST = '127.0.0.1';

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((answer) => {
    const socket = connect({ host: HOST, port });
    socket.setTimeout(1000);
    const done = (open: boolean) => {
      socket.destroy();
      answer(open);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

/**
 * A server of a test's own (Redis, mailpit) on free loopback ports, which a fault test may stop
 * and start again on the same ports, unlike the machine's shared servers every other test uses.
 */
export class ScratchServer {
  private child: ChildProcess | undefined;
  private output = '';

  constructor(
    readonly name: string,
    private readonly bin: string,
    private readonly args: readonly string[],
    /** Ports it listens on; it is up when all of them accept connections. */
    readonly ports: readonly number[],
    private readonly cleanup: () => void = () => undefined,
  ) {}

  get running(): boolean {
    return this.child !== undefined;
  }

  async start(timeoutMs = 15_000): Promise<void> {
    if (this.child) return;
    this.output = '';
    const child = spawn(this.bin, [...this.args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', () => {
      if (this.child === child) this.child = undefined;
    });
    this.child = child;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        this.child = undefined;
        throw new Error(`${this.name} exited during start-up:\n${this.output}`);
      }
      const open = await Promise.all(this.ports.map((port) => tcpOpen(port)));
      if (open.every(Boolean)) return;
      if (Date.now() > deadline) {
        await this.stop('SIGKILL');
        throw new Error(`${this.name} did not listen on ${this.ports.join(', ')}:\n${this.output}`);
      }
      await sleep(100);
    }
  }

  /** Stops it (SIGTERM: a clean shutdown; SIGKILL: a crash) and waits until it is gone. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill(signal);
    const forced = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(forced);
  }

  /** Stops it for good and removes what it kept on disk. */
  async dispose(): Promise<void> {
    await this.stop();
    this.cleanup();
  }
}

/**
 * A Redis of the test's own (the machine's `redis-server`), without persistence: a restart loses
 * every key, as a production Redis without persistence would.
 */
export async function startScratchRedis(): Promise<{ server: ScratchServer; url: string }> {
  const port = await freePort();
  const server = new ScratchServer(
    'redis',
    'redis-server',
    ['--bind', HOST, '--port', String(port), '--save', '', '--appendonly', 'no'],
    [port],
  );
  await server.start();
  return { server, url: `redis://${HOST}:${port}` };
}

/**
 * A mailpit of the test's own (the binary the tools installer built, started as
 * tools/src/infra/components.ts starts the shared one): SMTP and HTTP API on free ports, its
 * messages in a scratch folder that outlives restarts and goes with `dispose()`.
 */
export async function startScratchMailpit(): Promise<{
  server: ScratchServer;
  smtp: { host: string; port: number };
  apiUrl: string;
}> {
  const smtpPort = await freePort();
  const httpPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'scratch-mailpit-'));
  const server = new ScratchServer(
    'mailpit',
    toolBinary('mailpit'),
    mailpitArgs({ host: HOST, httpPort, smtpPort, database: join(dir, 'mailpit.db') }),
    [smtpPort, httpPort],
    () => rmSync(dir, { recursive: true, force: true }),
  );
  await server.start();
  return { server, smtp: { host: HOST, port: smtpPort }, apiUrl: `http://${HOST}:${httpPort}` };
}
