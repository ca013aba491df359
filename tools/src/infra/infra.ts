import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Component, components } from './components';
import { ensureDatabases } from './databases';
import { tcpOpen } from './probes';
import {
  StartedProcess,
  isOurs,
  lastLines,
  launch,
  readRegistry,
  terminate,
  unregister,
} from './processes';
import { SERVICE_DATABASES, dataDir } from './settings';
import { ensureSearchAttributes } from './temporal-setup';

/** A problem a person can fix; its message is one line naming the cause and the fix. */
export class InfraError extends Error {
  override name = 'InfraError';
}

export type Log = (line: string) => void;

export interface StartInfraOptions {
  log?: Log;
  /** Extra databases to create besides the per-service ones. */
  databases?: readonly string[];
  /**
   * The components to bring up; the real stack by default. Anything else (tests of the launcher
   * itself) skips the stack-specific setup of databases and search attributes.
   */
  components?: Component[];
}

export interface StartInfraResult {
  /** Components this call started (and is responsible for stopping). */
  started: string[];
  /** Components that were already answering and are reused as they are. */
  reused: string[];
}

async function waitUntilReady(c: Component, proc: StartedProcess): Promise<void> {
  const deadline = Date.now() + (c.readyTimeoutSec ?? 30) * 1000;
  while (Date.now() < deadline) {
    if (await c.probe()) return;
    if (!isOurs(proc)) {
      throw new InfraError(
        `${c.name} exited during start-up; last lines of ${proc.log}:\n${lastLines(proc.log)}`,
      );
    }
    await sleep(250);
  }
  throw new InfraError(
    `${c.name} did not answer within ${c.readyTimeoutSec ?? 30}s; see ${proc.log}:\n${lastLines(proc.log)}`,
  );
}

/**
 * Starts whatever part of the local infrastructure is not already answering, waits until each
 * part answers, registers the Temporal search attributes and creates the service databases.
 * On any failure, everything this call started is stopped again before the error is thrown.
 */
export async function startInfra(options: StartInfraOptions = {}): Promise<StartInfraResult> {
  const log = options.log ?? (() => undefined);
  const result: StartInfraResult = { started: [], reused: [] };
  const launched: { component: Component; proc: StartedProcess }[] = [];
  const stack = options.components ?? components();
  const realStack = !options.components;
  mkdirSync(join(dataDir(), 'temporal'), { recursive: true });
  mkdirSync(join(dataDir(), 'ferretdb'), { recursive: true });
  mkdirSync(join(dataDir(), 'mailpit'), { recursive: true });

  try {
    for (const c of stack) {
      if (await c.probe()) {
        result.reused.push(c.name);
        log(`${c.name}: already running, reusing it`);
        continue;
      }
      if (!c.launch) {
        throw new InfraError(
          `${c.name} is not answering on port ${c.ports.join('/')}: ${c.startHint}`,
        );
      }
      for (const port of c.ports) {
        if (await tcpOpen('127.0.0.1', port)) {
          throw new InfraError(
            `port ${port} is taken by another program that is not ${c.name}: stop it (see: ss -ltnp 'sport = :${port}') and start again`,
          );
        }
      }
      const spec = c.launch();
      if (!existsSync(spec.bin)) {
        throw new InfraError(
          `${spec.tool} is not built (${spec.bin} missing): run npm run tools:install`,
        );
      }
      if (c.name === 'ferretdb') {
        // FerretDB stores its documents in PostgreSQL: its database must exist before it starts.
        await ensureDatabases(['commerce_ferretdb']);
      }
      log(`${c.name}: starting`);
      const proc = launch(c.name, spec.bin, spec.args);
      launched.push({ component: c, proc });
    }

    // Wait for all launched components together: they start independently.
    await Promise.all(launched.map(({ component, proc }) => waitUntilReady(component, proc)));
    for (const { component, proc } of launched) {
      result.started.push(component.name);
      log(`${component.name}: ready (pid ${proc.pid}, log ${proc.log})`);
    }

    if (!realStack) return result;
    const created = await ensureDatabases([...SERVICE_DATABASES, ...(options.databases ?? [])]);
    if (created.length) log(`postgres: created databases ${created.join(', ')}`);
    const added = await ensureSearchAttributes();
    if (added.length) log(`temporal: registered search attributes ${added.join(', ')}`);
    return result;
  } catch (err) {
    await stopProcesses(launched.map((l) => l.proc));
    throw err;
  }
}

async function stopProcesses(procs: StartedProcess[]): Promise<void> {
  await Promise.all(procs.map((p) => terminate(p)));
  unregister(procs.map((p) => p.name));
}

/** Stops the registered processes (all of them, or only the named ones) that are still ours. */
export async function stopRegistered(names?: readonly string[], log: Log = () => undefined) {
  const entries = readRegistry().filter((e) => !names || names.includes(e.name));
  for (const e of entries)
    log(isOurs(e) ? `${e.name}: stopping (pid ${e.pid})` : `${e.name}: not running`);
  await stopProcesses(entries);
  return entries.map((e) => e.name);
}

export interface ComponentStatus {
  name: string;
  answering: boolean;
  managedPid?: number;
  urls: Record<string, string>;
}

export async function infraStatus(): Promise<ComponentStatus[]> {
  const registry = readRegistry();
  return Promise.all(
    components().map(async (c) => {
      const entry = registry.find((e) => e.name === c.name && isOurs(e));
      const status: ComponentStatus = { name: c.name, answering: await c.probe(), urls: c.urls };
      if (entry) status.managedPid = entry.pid;
      return status;
    }),
  );
}
