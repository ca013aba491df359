import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, rmdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { APP_ENV, APP_NODE_FLAGS } from '@commerce/tools';

/** The repository root (this file is libs/testing/src or libs/testing/dist). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** A free TCP port on loopback (asked from the kernel, then released for the app to take). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

const run = promisify(execFile);

/**
 * Builds an Nx project (and what it depends on), one build per project and machine at a time:
 * suites running in parallel share one build, and Nx's cache makes a build of unchanged sources
 * cheap. A lock older than five minutes belongs to a build that died.
 */
export async function buildProject(project: string): Promise<void> {
  const lock = join(tmpdir(), `commerce-build-${project.replace(/[^\w-]/g, '_')}.lock`);
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 300_000) rmdirSync(lock);
      if (Date.now() > deadline) throw new Error(`waited too long for ${lock}`);
      await sleep(250);
    }
  }
  try {
    await run('npx', ['nx', 'run', `${project}:build`, '--output-style=static'], {
      cwd: REPO_ROOT,
      env: { ...process.env, NX_TUI: 'false', NX_NO_CLOUD: 'true' },
      maxBuffer: 16 * 1024 * 1024,
    });
  } finally {
    rmdirSync(lock);
  }
}

export interface ChildAppOptions {
  /** Short name for messages. */
  readonly name: string;
  /** The app's folder from the repository root: runs `<dir>/<main>`. */
  readonly dir: string;
  /** The entrypoint within `dir` (default `dist/main.js`), for a package with several. */
  readonly main?: string;
  readonly port: number;
  /** The app's environment (PORT is added); nothing of this process's is passed on but PATH and HOME. */
  readonly env: Record<string, string>;
  /** Answered with 2xx once the app is up (default `/health/live`). */
  readonly healthPath?: string;
  /** Output is appended to this file too (it is always kept in memory). */
  readonly logFile?: string;
  readonly startTimeoutMs?: number;
}

/**
 * One app running from its build output as a separate process, as `npm start` runs it: tests
 * that kill it (SIGKILL at the worst moment) or need it apart from the test process use this.
 */
export class ChildApp {
  readonly url: string;
  /** Resolves with the exit code or signal once the process is gone. */
  readonly exited: Promise<number | string>;
  private captured = '';

  private constructor(
    readonly options: ChildAppOptions,
    readonly process: ChildProcess,
  ) {
    this.url = `http://127.0.0.1:${options.port}`;
    this.exited = new Promise((done) =>
      process.once('exit', (code, signal) => done(signal ?? code ?? -1)),
    );
    const log = options.logFile ? openLog(options.logFile) : undefined;
    const keep = (chunk: Buffer) => {
      this.captured += chunk.toString();
      log?.write(chunk);
    };
    process.stdout?.on('data', keep);
    process.stderr?.on('data', keep);
    void this.exited.then(() => log?.end());
  }

  /** Starts the app and waits until its health path answers; fails with its output if it exits. */
  static async start(options: ChildAppOptions): Promise<ChildApp> {
    const main = join(REPO_ROOT, options.dir, options.main ?? join('dist', 'main.js'));
    if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
    const child = spawn(process.execPath, [...APP_NODE_FLAGS, main], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...APP_ENV,
        ...options.env,
        PORT: String(options.port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const app = new ChildApp(options, child);
    const timeoutMs = options.startTimeoutMs ?? 30_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`${options.name} exited during start-up:\n${app.output()}`);
      }
      const res = await fetch(`${app.url}${options.healthPath ?? '/health/live'}`).catch(
        () => undefined,
      );
      if (res?.ok) return app;
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`${options.name} did not answer in ${timeoutMs} ms:\n${app.output()}`);
      }
      await sleep(100);
    }
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** Everything the process wrote to stdout and stderr so far. */
  output(): string {
    return this.captured;
  }

  /** Graceful stop (SIGTERM, SIGKILL after 10 s) or a crash (SIGKILL, as a fault test wants). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.process;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await this.exited;
      clearTimeout(timer);
    }
  }
}

function openLog(file: string) {
  mkdirSync(dirname(file), { recursive: true });
  return createWriteStream(file, { flags: 'a' });
}
