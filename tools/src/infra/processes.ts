import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { dataDir } from './settings';

/**
 * The registry of processes the launcher started, kept in a file so that `npm run stop` (or the
 * next start) can find them even if the launcher that started them was killed.
 */
export interface StartedProcess {
  name: string;
  pid: number;
  bin: string;
  log: string;
  startedAt: string;
}

const registryFile = () => join(dataDir(), 'run', 'processes.json');

export function readRegistry(): StartedProcess[] {
  try {
    return JSON.parse(readFileSync(registryFile(), 'utf8')) as StartedProcess[];
  } catch {
    return [];
  }
}

function writeRegistry(entries: StartedProcess[]): void {
  const file = registryFile();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(entries, null, 2));
  renameSync(`${file}.tmp`, file);
}

export function register(entry: StartedProcess): void {
  writeRegistry([...readRegistry().filter((e) => e.name !== entry.name), entry]);
}

export function unregister(names: string[]): void {
  writeRegistry(readRegistry().filter((e) => !names.includes(e.name)));
}

/** Alive and still the program we started (pids get reused after a reboot or a long time). */
export function isOurs(entry: StartedProcess): boolean {
  try {
    const cmdline = readFileSync(`/proc/${entry.pid}/cmdline`, 'utf8').split('\0');
    return cmdline.some((arg) => arg === entry.bin);
  } catch {
    return false;
  }
}

export function logFile(name: string): string {
  return join(dataDir(), 'logs', `${name}.log`);
}

/**
 * Starts a program in its own process group (so stopping it also stops anything it forked), with
 * stdout and stderr appended to its log file.
 */
export function launch(
  name: string,
  bin: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd?: string,
): StartedProcess {
  const log = logFile(name);
  mkdirSync(dirname(log), { recursive: true });
  const fd = openSync(log, 'a');
  const child = spawn(bin, args, { detached: true, stdio: ['ignore', fd, fd], env, cwd });
  child.unref();
  if (child.pid === undefined) throw new Error(`${name}: could not start ${bin}`);
  const entry = { name, pid: child.pid, bin, log, startedAt: new Date().toISOString() };
  register(entry);
  return entry;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM the process group, then SIGKILL whatever is left after the grace period. */
export async function terminate(entry: StartedProcess, graceMs = 10_000): Promise<void> {
  if (!isOurs(entry)) return;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-entry.pid, sig);
    } catch {
      try {
        process.kill(entry.pid, sig);
      } catch {
        // already gone
      }
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive(entry.pid) && Date.now() < deadline) await sleep(100);
  if (alive(entry.pid)) signal('SIGKILL');
  while (alive(entry.pid)) await sleep(50);
}

export function lastLines(file: string, count = 15): string {
  if (!existsSync(file)) return '';
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  return lines.slice(-count).join('\n');
}
