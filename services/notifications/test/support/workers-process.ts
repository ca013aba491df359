import { testEndpoints } from '@commerce/testing';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, statSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');
const WORKERS_MAIN = join(REPO_ROOT, 'services', 'workers', 'dist', 'main.js');
const run = promisify(execFile);

/**
 * Builds the workers app with Nx, one build per machine at a time (the workers suites use the same
 * lock), so the tests below run the real process from its build.
 */
export async function buildWorkers(): Promise<void> {
  const lock = join(tmpdir(), 'commerce-workers-build.lock');
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
    await run('npx', ['nx', 'run', '@commerce/workers:build', '--output-style=static'], {
      cwd: REPO_ROOT,
      env: { ...process.env, NX_TUI: 'false', NX_NO_CLOUD: 'true' },
      maxBuffer: 16 * 1024 * 1024,
    });
  } finally {
    rmdirSync(lock);
  }
}

export interface WorkersProcess {
  readonly process: ChildProcess;
  readonly output: () => string;
  stop(): Promise<void>;
}

/** The workers process (`services/workers/dist/main.js`) on this file's database and queue. */
export async function startWorkers(env: Record<string, string>): Promise<WorkersProcess> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((done) => server.close(() => done()));

  let output = '';
  const child = spawn(process.execPath, [WORKERS_MAIN], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      REDIS_URL: testEndpoints.redisUrl,
      SMTP_URL: `smtp://${testEndpoints.smtp.host}:${testEndpoints.smtp.port}`,
      MAIL_FROM: 'Commerce Tests <no-reply@commerce.test>',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the workers process exited early:\n${output}`);
    const res = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
    if (res?.ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the workers process did not become healthy:\n${output}`);
    }
    await sleep(100);
  }
  return {
    process: child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
