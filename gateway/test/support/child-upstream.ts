export { freePort } from '@commerce/testing';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

const SCRIPT = join(__dirname, '..', 'fixtures', 'upstream-child.js');

/** The stand-in service of `fixtures/upstream-child.js` as a child process on a fixed port. */
export class ChildUpstream {
  private child: ChildProcess | undefined;

  constructor(readonly port: number) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, [SCRIPT], {
      env: { ...process.env, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes('listening')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`upstream child exited early (${code})`)));
      child.once('error', reject);
    });
  }

  /** SIGKILL: no goodbye, connections reset, the port is free again. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.child = undefined;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  /** Requests served since this process started (probes not counted). */
  async hits(): Promise<number> {
    const res = await fetch(`${this.url}/__hits`);
    return ((await res.json()) as { hits: number }).hits;
  }
}
